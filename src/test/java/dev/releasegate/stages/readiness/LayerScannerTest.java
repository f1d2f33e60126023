package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.image.ImageFiles;
import dev.releasegate.image.LayerChanges;
import dev.releasegate.image.TestLayers;
import dev.releasegate.stages.readiness.LayerReport.FileSecret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One layer at a time: secrets by content and by name, sizes; and the tools and passwd a scan keeps for the merged image. */
class LayerScannerTest {
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  /** A PEM private key block as tools write it; the base64 body is filler, no real key. */
  static final String PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";

  /** Reads a layer blob with a scanner, as the stage does; the report names {@link #DIGEST}. */
  static LayerReport scan(int index, byte[] blob) {
    LayerScanner scanner = new LayerScanner(index);
    LayerChanges<LayerScanner.Kept> read = TestLayers.read(blob, scanner);
    return scanner.report(DIGEST, read.summary());
  }

  /** The image of these layer blobs (bottom first) as the lint sees it; every layer's report names {@link #DIGEST}. */
  static ImageContents contents(byte[]... blobs) {
    List<LayerReport> reports = new ArrayList<>();
    List<LayerChanges<LayerScanner.Kept>> layers = new ArrayList<>();
    for (int i = 0; i < blobs.length; i++) {
      LayerScanner scanner = new LayerScanner(i + 1);
      LayerChanges<LayerScanner.Kept> read = TestLayers.read(blobs[i], scanner);
      reports.add(scanner.report(DIGEST, read.summary()));
      layers.add(read);
    }
    return ImageContents.of(reports, ImageFiles.merge(layers));
  }

  private static List<String> secrets(LayerReport report) {
    return report.secrets().stream().map(secret -> secret.path() + ": " + secret.kind()).toList();
  }

  @Test
  void anOversizedPasswdFileIsRefusedAsAUserResolverButStillScannedForSecrets() {
    String huge = "root:x:0:0::/root:/sbin/nologin\n" + "#".repeat(LayerScanner.MAX_PASSWD_BYTES) + "\n" + PEM_KEY;
    LayerReport report = scan(1, TestLayers.layer().file("etc/passwd", huge).gzip());

    assertEquals(List.of("/etc/passwd: PEM private key"), secrets(report), "a key past the first megabyte is still found");
    assertEquals(1, report.scannedFiles());
  }

  @Test
  void pemPrivateKeysAreFoundInAnyTextFileButNotAmongALibrarysStringConstants() {
    byte[] library = "\0ELF\0-----BEGIN PRIVATE KEY-----\0-----END PRIVATE KEY-----\0-----BEGIN %s-----\n\0".getBytes(StandardCharsets.UTF_8);
    LayerReport report = scan(1, TestLayers.layer()
        .file("app/config/tls.key", PEM_KEY)
        .file("app/notes.txt", "intro\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n")
        .file("app/release.asc", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQdGBF\n-----END PGP PRIVATE KEY BLOCK-----\n")
        .file("usr/lib/libcrypto.so", library)
        .file("etc/ssl/certs/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        .gzip());

    assertEquals(List.of("/app/config/tls.key: PEM private key", "/app/notes.txt: PEM private key", "/app/release.asc: PEM private key"),
        secrets(report));
    assertEquals(5, report.scannedFiles());
  }

  @Test
  void keysHiddenFromATextScanAreFound() {
    byte[] border = new byte[LayerScanner.WINDOW_BYTES + PEM_KEY.length()];
    byte[] key = PEM_KEY.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(key, 0, border, LayerScanner.WINDOW_BYTES - 20, key.length);
    LayerReport report = scan(1, TestLayers.layer()
        .file("app/nul.pem", PEM_KEY + "\0")
        .file("app/utf16.pem", ("\uFEFF" + PEM_KEY).getBytes(StandardCharsets.UTF_16LE))
        .file("app/padded.pem", "\n".repeat(LayerScanner.WINDOW_BYTES + 10) + PEM_KEY)
        .file("app/border.bin", border)
        .file("app/embedded.so", ("\0ELF\0" + PEM_KEY + "\0").getBytes(StandardCharsets.US_ASCII))
        .gzip());

    assertEquals(List.of("/app/nul.pem: PEM private key", "/app/utf16.pem: PEM private key", "/app/padded.pem: PEM private key",
        "/app/border.bin: PEM private key", "/app/embedded.so: PEM private key"), secrets(report),
        "a trailing NUL, UTF-16, padding past a window, a window's border and a binary do not hide a whole key block");
  }

  @Test
  void tokensAreFoundInAnyFileButAwsDocumentationExamplesAreNot() {
    LayerReport report = scan(1, TestLayers.layer()
        .file("app/application.properties", "cloud.aws.credentials.access-key=AKIAZ7VQ3JX5RTMWP4LN\n")
        .file("app/config.json", "{\"github\": {\"token\": \"ghp_" + "a1B2c3D4e5".repeat(3) + "f6G7h8\"}}")
        .file("app/bin/server", ("\0\u007fELF\0github_pat_" + "A".repeat(22) + "_" + "b".repeat(59) + "\0").getBytes(StandardCharsets.US_ASCII))
        .file("app/maps.js", "const key = 'AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY" + "';")
        .file("usr/lib/python3/dist-packages/botocore/docs.py", "# aws_access_key_id=AKIAIOSFODNN7EXAMPLE\n")
        .gzip());

    assertEquals(List.of("/app/application.properties: AWS access key id", "/app/config.json: GitHub token", "/app/bin/server: GitHub token",
        "/app/maps.js: Google API key"), secrets(report));
  }

  @Test
  void sshKeysAreFoundByNameWhateverTheirContentOrSize() {
    byte[] big = new byte[LayerScanner.WINDOW_BYTES + 1];
    LayerReport report = scan(2, TestLayers.layer()
        .file("root/.ssh/id_ed25519", big)
        .file("root/.ssh/id_ed25519.pub", "ssh-ed25519 AAAA test")
        .file("home/app/.ssh/id_rsa", "")
        .gzip());

    assertEquals(List.of(new FileSecret(2, "/root/.ssh/id_ed25519", "SSH private key file")), report.secrets(),
        "the public key is no secret, and an empty id_rsa holds nothing");
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
        .file("root/.aws/credentials", "[default]\naws_access_key_id = AKIAZ7VQ3JX5RTMWP4LN\naws_secret_access_key = wJalrXUtnFEMI\n")
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
  void toolsAndPasswdAreKeptForTheMergedImage() {
    ImageContents contents = contents(TestLayers.layer()
        .file("usr/bin/bash", "#!elf")
        .symlink("bin/sh", "/usr/bin/bash")
        .file("usr/lib/busybox", "elf")
        .hardlink("usr/bin/ash", "usr/lib/busybox")
        .file("usr/bin/java", "#!elf")
        .file("usr/share/bash/README", "not a binary directory")
        .file("etc/passwd", "root:x:0:0::/root:/sbin/nologin\n")
        .gzip());

    assertEquals(Set.of("/usr/bin/bash", "/bin/sh", "/usr/bin/ash"), contents.tools(), "files, symbolic and hard links alike");
    assertEquals(new ImageContents.PasswdFile.Found("root:x:0:0::/root:/sbin/nologin\n"), contents.passwd());
  }

  @Test
  void sizesAreTheBlobAndTheTarStream() {
    TestLayers layer = TestLayers.layer().file("app/data", new byte[300_000]);
    byte[] gzip = layer.gzip();
    LayerReport compressed = scan(1, gzip);
    assertEquals(gzip.length, compressed.size());
    assertEquals(layer.tar().length, compressed.uncompressedSize());
    assertEquals(1, compressed.entries());

    byte[] plain = layer.tar();
    LayerReport uncompressed = scan(1, plain);
    assertEquals(plain.length, uncompressed.size(), "an uncompressed layer is read as it is");
    assertEquals(plain.length, uncompressed.uncompressedSize());
  }
}
