package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.api.EnvironmentException;
import dev.releasegate.stages.readiness.LayerReport.FileSecret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One layer at a time: secrets by content and by name, tools, whiteouts, sizes, and what is not a layer. */
class LayerScannerTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  static LayerReport scan(int index, byte[] blob) {
    return new LayerScanner().scan(index, DIGEST, blob.length, new ByteArrayInputStream(blob));
  }

  private static List<String> secrets(LayerReport report) {
    return report.secrets().stream().map(secret -> secret.path() + ": " + secret.kind()).toList();
  }

  @Test
  void pemPrivateKeysAreFoundInAnyTextFileButNotInBinaries() {
    byte[] library = ("\0ELF" + TestLayers.PEM_KEY).getBytes(StandardCharsets.UTF_8);
    LayerReport report = scan(1, TestLayers.layer()
        .file("app/config/tls.key", TestLayers.PEM_KEY)
        .file("app/notes.txt", "intro\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n")
        .file("app/release.asc", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQdGBF\n-----END PGP PRIVATE KEY BLOCK-----\n")
        .file("usr/lib/libcrypto.so", library)
        .file("etc/ssl/certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        .gzip());

    assertEquals(List.of("/app/config/tls.key: PEM private key", "/app/notes.txt: PEM private key", "/app/release.asc: PEM private key"),
        secrets(report));
    assertEquals(4, report.scannedFiles(), "the library with a NUL byte is binary and not scanned");
  }

  @Test
  void sshKeysAreFoundByNameWhateverTheirContentOrSize() {
    byte[] big = new byte[LayerScanner.MAX_SCANNED_FILE_BYTES + 1];
    LayerReport report = scan(2, TestLayers.layer()
        .file("root/.ssh/id_ed25519", big)
        .file("root/.ssh/id_ed25519.pub", "ssh-ed25519 AAAA test")
        .file("home/app/.ssh/id_rsa", "")
        .gzip());

    assertEquals(List.of(new FileSecret(2, "/root/.ssh/id_ed25519", "SSH private key file")), report.secrets(),
        "the public key is no secret, and an empty id_rsa holds nothing");
    assertEquals(1, report.unscannedFiles());
  }

  @Test
  void credentialFilesWithLiteralTokensAreFound() {
    LayerReport report = scan(1, TestLayers.layer()
        .file("app/.env", "PORT=8080\nexport API_TOKEN=\"abc123\"\nDB_PASSWORD_FILE=/run/secrets/db\n")
        .file("app/.env.example", "API_TOKEN=changeme\n")
        .file("root/.npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_abcdef\n")
        .file("home/ci/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")
        .file("root/.git-credentials", "https://robot:ghp_secret@github.com\n")
        .file("app/.env.production", "LOG_LEVEL=info\n")
        .file("root/.netrc", "machine example.test login robot password s3cret\n")
        .file("root/.aws/credentials", "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI\n")
        .file("root/.docker/config.json", "{\"auths\": {\"registry.example.test\": {\"auth\": \"cm9ib3Q6czNjcmV0\"}}}\n")
        .file("home/ci/.docker/config.json", "{\"credsStore\": \"pass\"}\n")
        .gzip());

    assertEquals(List.of(
        "/app/.env: .env file with secrets in API_TOKEN",
        "/root/.npmrc: .npmrc with a literal _authToken",
        "/root/.git-credentials: .git-credentials with a password",
        "/root/.netrc: .netrc with a password",
        "/root/.aws/credentials: AWS credentials file with secrets in aws_access_key_id, aws_secret_access_key",
        "/root/.docker/config.json: docker config.json with registry credentials"), secrets(report),
        "templates, ${VAR} references, *_FILE pointers, credential helpers and secret-free .env files are not findings");
  }

  @Test
  void toolsWhiteoutsAndPasswdAreRecorded() {
    LayerReport report = scan(3, TestLayers.layer()
        .file("usr/bin/bash", "#!elf")
        .symlink("bin/sh", "/usr/bin/bash")
        .file("usr/bin/java", "#!elf")
        .file("usr/share/bash/README", "not a binary directory")
        .whiteout("usr/bin/apt")
        .opaque("var/cache")
        .file("etc/passwd", "root:x:0:0::/root:/sbin/nologin\n")
        .gzip());

    assertEquals(Set.of("/usr/bin/bash", "/bin/sh"), report.tools());
    assertEquals(Set.of("/usr/bin/apt"), report.whiteouts());
    assertEquals(Set.of("/var/cache"), report.opaqueDirectories());
    assertEquals(Optional.of("root:x:0:0::/root:/sbin/nologin\n"), report.passwd());
    assertTrue(report.hides("/usr/bin/apt"));
    assertTrue(report.hides("/var/cache/apt/archives/x.deb"));
    assertTrue(!report.hides("/var/cache") && !report.hides("/usr/bin/apt-get"), "a whiteout hides its own path and what is below it");
  }

  @Test
  void sizesAreTheBlobAndTheTarStream() {
    TestLayers layer = TestLayers.layer().file("app/data", new byte[300_000]);
    byte[] gzip = layer.gzip();
    LayerReport compressed = scan(1, gzip);
    assertEquals(gzip.length, compressed.size());
    assertEquals(layer.tar().length, compressed.uncompressedSize());

    byte[] plain = layer.tar();
    LayerReport uncompressed = scan(1, plain);
    assertEquals(plain.length, uncompressed.size(), "an uncompressed layer is read as it is");
    assertEquals(plain.length, uncompressed.uncompressedSize());
  }

  @Test
  void aBlobOfAnotherSizeThanTheManifestSaysFails() {
    byte[] gzip = TestLayers.layer().file("a", "b").gzip();
    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> new LayerScanner().scan(1, DIGEST, gzip.length + 1, new ByteArrayInputStream(gzip)));
    assertEquals("layer 1 (" + DIGEST + ") has " + gzip.length + " bytes, the manifest says " + (gzip.length + 1), e.getMessage());
  }

  @Test
  void zstdAndNonTarBlobsFailInsteadOfPassingEmpty() {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    assertEquals("layer 1 (" + DIGEST + ") is zstd-compressed; the readiness lint reads gzip and plain tar layers",
        assertThrows(EnvironmentException.class, () -> scan(1, zstd)).getMessage());

    byte[] text = "this is not a layer".repeat(100).getBytes(StandardCharsets.UTF_8);
    assertEquals("cannot read layer 1 (" + DIGEST + "): not a tar archive: bad checksum field",
        assertThrows(EnvironmentException.class, () -> scan(1, text)).getMessage());

    byte[] corrupt = TestLayers.layer().file("a", new byte[100_000]).gzip();
    corrupt[corrupt.length - 5] ^= 0x55;
    assertTrue(assertThrows(EnvironmentException.class, () -> scan(1, corrupt)).getMessage().startsWith("cannot read layer 1"),
        "a damaged gzip trailer (CRC or length) is an error: the stream is read to its end");
  }
}
