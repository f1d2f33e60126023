package dev.releasegate.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.Remedy;
import dev.releasegate.testing.FlakyProxy;
import dev.releasegate.testing.LocalRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The registry layer against a real docker-registry, and behind a proxy that injects failures. */
class RegistryAccessIT {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();

  private final List<String> log = new ArrayList<>();

  private RegistryAccess open(String address, String path) {
    return RegistryAccess.open(address + "/" + path, new RegistrySettings(true, Map.of(), log::add));
  }

  /** An OCI manifest with one tiny layer, written by hand so its bytes are ours. */
  private String pushImage(RegistryAccess access, String text) throws InterruptedException {
    String layer = access.putBlob(text.getBytes(StandardCharsets.UTF_8));
    byte[] configBytes = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8);
    String config = access.putBlob(configBytes);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + configBytes.length + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer + "\",\"size\":" + text.length() + "}]}")
        .getBytes(StandardCharsets.UTF_8);
    String digest = "sha256:" + Digests.sha256Hex(manifest);
    assertEquals(digest, access.putManifest(manifest, "application/vnd.oci.image.manifest.v1+json", digest));
    assertArrayEquals(manifest, registry.manifest(access.repository().substring(access.host().length() + 1), digest).orElseThrow(),
        "the registry holds our exact bytes");
    return digest;
  }

  @Test
  void exactBytesTagsAndBlobs() throws Exception {
    RegistryAccess access = open(registry.address(), "bytes");
    assertEquals(Optional.empty(), access.digestOf("1.0"));
    String digest = pushImage(access, "layer one");
    assertEquals(List.of(), registry.tags("bytes"), "pushed by digest only");

    access.tag(digest, "1.0");
    assertEquals(Optional.of(digest), access.digestOf("1.0"));
    assertEquals(Optional.of(digest), registry.manifestDigest("bytes", "1.0"));

    String blob = access.putBlob("payload".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), access.readBlob(blob, 100));
    try (InputStream in = access.openBlob(blob)) {
      assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
    }
    EnvironmentException tooLarge = assertThrows(EnvironmentException.class, () -> access.readBlob(blob, 3));
    assertTrue(tooLarge.getMessage().contains("is larger than 3 bytes"), tooLarge.getMessage());
  }

  /** A blob streamed from a file: each attempt of an upload reads the file anew. */
  private static RegistryAccess.BlobUpload fromFile(Path file) throws IOException {
    return new RegistryAccess.BlobUpload("sha256:" + Digests.sha256Hex(file), Files.size(file), out -> Files.copy(file, out));
  }

  /** An OCI manifest of {@code config} and {@code layer}, written by hand so its bytes are ours. */
  private static byte[] manifest(RegistryAccess.BlobUpload config, RegistryAccess.BlobUpload layer) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config.digest() + "\",\"size\":" + config.size() + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer.digest() + "\",\"size\":" + layer.size() + "}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  @Test
  void pushByDigestStreamsTheBlobsTheRegistryLacksThenTheExactManifestAndNoTag(@TempDir Path work) throws Exception {
    Path layerFile = work.resolve("layer");
    byte[] chunk = new byte[1 << 20];
    new java.util.Random(18).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(layerFile)) {
      for (int i = 0; i < 8; i++) {
        out.write(chunk);
      }
    }
    Path configFile = Files.writeString(work.resolve("config"), "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
    RegistryAccess.BlobUpload config = fromFile(configFile);
    RegistryAccess.BlobUpload layer = fromFile(layerFile);
    byte[] manifest = manifest(config, layer);
    String digest = "sha256:" + Digests.sha256Hex(manifest);
    List<RegistryWrite> writes = new ArrayList<>();
    RegistryAccess access = RegistryAccess.open(registry.address() + "/streamed", new RegistrySettings(true, Map.of(), log::add, writes::add));

    assertEquals(new RegistryAccess.Pushed(2, 2, config.size() + layer.size()), access.pushByDigest(manifest, OCI_MANIFEST, List.of(config, layer),
        Optional.empty()));
    assertArrayEquals(manifest, registry.manifest("streamed", digest).orElseThrow(), "the registry holds our exact bytes");
    assertArrayEquals(Files.readAllBytes(layerFile), registry.blob("streamed", layer.digest()).orElseThrow());
    assertEquals(List.of(), registry.tags("streamed"), "by digest only");
    assertEquals(List.of(), writes, "an image by digest alone is not recorded as a write");

    int uploads = registry.requests("POST", "^/v2/streamed/blobs/uploads/").size();
    assertEquals(new RegistryAccess.Pushed(2, 0, 0), access.pushByDigest(manifest, OCI_MANIFEST, List.of(config, layer), Optional.empty()));
    assertEquals(uploads, registry.requests("POST", "^/v2/streamed/blobs/uploads/").size(), "what the registry has is not uploaded again");

    // Another repository of the same registry mounts the blobs instead of uploading them.
    RegistryAccess copy = open(registry.address(), "streamed-copy");
    assertEquals(new RegistryAccess.Pushed(2, 0, 0), copy.pushByDigest(manifest, OCI_MANIFEST, List.of(config, layer), Optional.of(access)));
    assertEquals(2, registry.requests("POST", "^/v2/streamed-copy/blobs/uploads/\\?mount=").size());
    assertEquals(List.of(), registry.requests("PATCH", "^/v2/streamed-copy/"));
    assertArrayEquals(manifest, registry.manifest("streamed-copy", digest).orElseThrow());
  }

  @Test
  void aPushCutByServerErrorsIsRetriedWholeAndABlobThatIsNotItsDigestFails(@TempDir Path work) throws Exception {
    RegistryAccess.BlobUpload config = fromFile(Files.writeString(work.resolve("config"), "{\"os\":\"linux\"}"));
    RegistryAccess.BlobUpload layer = fromFile(Files.writeString(work.resolve("layer"), "layer bytes"));
    byte[] manifest = manifest(config, layer);
    String digest = "sha256:" + Digests.sha256Hex(manifest);
    try (FlakyProxy proxy = new FlakyProxy(registry.address(), line -> line.startsWith("PATCH /v2/cut/blobs/uploads/"), 2, 503)) {
      RegistryAccess access = open(proxy.address(), "cut");
      assertEquals(2, access.pushByDigest(manifest, OCI_MANIFEST, List.of(config, layer), Optional.empty()).uploaded());
      assertEquals(2, log.stream().filter(line -> line.startsWith("push " + proxy.address() + "/cut@" + digest + " failed (HTTP 503); retry")).count(),
          log.toString());
    }
    assertArrayEquals(manifest, registry.manifest("cut", digest).orElseThrow());

    RegistryAccess.BlobUpload lying = new RegistryAccess.BlobUpload(layer.digest(), layer.size(), out -> out.write("other bytes".getBytes(StandardCharsets.UTF_8)));
    RegistryAccess access = open(registry.address(), "lying");
    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> access.pushByDigest(manifest, OCI_MANIFEST, List.of(config, lying), Optional.empty()));
    assertTrue(e.getMessage().startsWith("registry " + registry.address() + " answered HTTP 400 when asked to push the image " + registry.address()
        + "/lying"), e.getMessage());
    assertEquals(Optional.empty(), registry.manifestDigest("lying", digest), "no manifest over a blob the registry refused");
  }

  @Test
  void unreachableRegistryIsNamed() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    RegistryAccess access = RegistryAccess.open("127.0.0.1:" + closed + "/x",
        new RegistrySettings(true, Map.of(), log::add));
    long start = System.nanoTime();
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> access.digestOf("1"));
    assertTrue(e.getMessage().startsWith("cannot reach registry 127.0.0.1:" + closed + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith("; is it running?"), e.getMessage());
    assertEquals(4, log.stream().filter(line -> line.contains("; retry ")).count(), "retried with backoff, bounded: " + log);
  }

  @Test
  void plainHttpOnlyForLoopback() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> RegistryAccess.open("registry.example.test/app", new RegistrySettings(true, Map.of(), log::add)));
    assertEquals("plain HTTP is only for loopback registries (127.0.0.1, localhost, ::1); registry.example.test is not one; reach it over HTTPS",
        e.getMessage());
    assertEquals(Optional.of(Remedy.USE_HTTPS), e.remedy());
    assertTrue(RegistryAccess.isLoopback("localhost:5000"));
    assertTrue(RegistryAccess.isLoopback("[::1]:5000"));
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() throws Exception {
    String digest = pushImage(open(registry.address(), "flaky"), "flaky layer");
    try (FlakyProxy proxy = new FlakyProxy(registry.address(), line -> line.contains("/manifests/"), 3, 503)) {
      RegistryAccess access = open(proxy.address(), "flaky");
      assertEquals(Optional.of(digest), access.digestOf(digest));
      assertEquals(4, proxy.count(line -> line.contains("/manifests/")), "3 injected 503s, then success: " + proxy.seen());
      assertEquals(3, log.stream().filter(line -> line.contains("(HTTP 503); retry")).count(), log.toString());
    }
  }

  @Test
  void unauthorizedIsNeverRetried() throws Exception {
    try (FlakyProxy proxy = new FlakyProxy(registry.address(), line -> line.contains("/manifests/"), 100, 401)) {
      RegistryAccess access = RegistryAccess.open(proxy.address() + "/locked",
          new RegistrySettings(true, Map.of(RegistrySettings.USERNAME_VARIABLE, "u", RegistrySettings.PASSWORD_VARIABLE, "wrong"), log::add));
      EnvironmentException e = assertThrows(EnvironmentException.class, () -> access.digestOf("1"));
      assertTrue(e.getMessage().contains("(HTTP 401/403); log in (docker login " + proxy.address() + ")"), e.getMessage());
      // The first request meets the challenge (WWW-Authenticate), the second carries the credentials;
      // its 401 is final.
      assertEquals(2, proxy.count(line -> line.contains("/manifests/")), "the challenge, then one attempt with credentials: " + proxy.seen());
      assertTrue(log.stream().noneMatch(line -> line.contains("retry")), log.toString());
      assertTrue(log.stream().noneMatch(line -> line.contains("wrong")), "the password is never logged");
    }
  }
}
