package dev.releasegate.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCI layout a dry run keeps its image in: unpacked whole or not at all, and read only as the digests say. */
class OciLayoutTest {
  @TempDir Path work;

  private static final byte[] CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
      .getBytes(StandardCharsets.UTF_8);

  private static String sha256(byte[] bytes) {
    return "sha256:" + Digests.sha256Hex(bytes);
  }

  private static byte[] manifest() {
    return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(CONFIG) + "\",\"size\":" + CONFIG.length + "},\"layers\":[]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] index(String... digests) {
    StringBuilder manifests = new StringBuilder();
    for (String digest : digests) {
      manifests.append(manifests.length() == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
          .append(digest).append("\",\"size\":1}");
    }
    return ("{\"schemaVersion\":2,\"manifests\":[" + manifests + "]}").getBytes(StandardCharsets.UTF_8);
  }

  /** A layout tar as jib-core writes one, with {@code entries} changed as a test needs. */
  private Path tar(Map<String, byte[]> entries) throws IOException {
    Path tar = work.resolve("image.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
        header.setSize(entry.getValue().length);
        out.putArchiveEntry(header);
        out.write(entry.getValue());
        out.closeArchiveEntry();
      }
    }
    return tar;
  }

  private static Map<String, byte[]> image() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("blobs/sha256/" + Digests.sha256Hex(CONFIG), CONFIG);
    entries.put("blobs/sha256/" + Digests.sha256Hex(manifest()), manifest());
    entries.put("index.json", index(sha256(manifest())));
    entries.put("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    return entries;
  }

  @Test
  void unpacksTheLayoutAndReadsTheManifestAndBlobsByDigest() throws Exception {
    Path folder = work.resolve("evidence-image");

    String digest = OciLayout.unpack(tar(image()), folder);

    assertEquals(sha256(manifest()), digest);
    OciLayout layout = OciLayout.open(folder);
    assertEquals(OciManifestTemplate.class, layout.manifest(digest).getManifest().getClass());
    assertEquals(sha256(CONFIG), layout.configDigest(digest));
    assertArrayEquals(CONFIG, layout.readBlob(sha256(CONFIG), 1024));
    try (InputStream blob = layout.openBlob(sha256(CONFIG))) {
      assertArrayEquals(CONFIG, blob.readAllBytes());
    }
  }

  @Test
  void aTarWithAnythingButTheLayoutsOwnFilesIsRefusedAndLeavesNothing() throws IOException {
    Map<String, byte[]> entries = image();
    entries.put("../escape", new byte[] {1});

    IOException refused = assertThrows(IOException.class, () -> OciLayout.unpack(tar(entries), work.resolve("evidence-image")));

    assertEquals("unexpected entry ../escape in the image tar", refused.getMessage());
    try (Stream<Path> left = Files.list(work)) {
      assertEquals(1, left.count(), "only the tar: no layout, no temporary folder");
    }
  }

  @Test
  void aBlobThatIsNotItsDigestIsRefused() throws IOException {
    Map<String, byte[]> entries = image();
    entries.put("blobs/sha256/" + Digests.sha256Hex(CONFIG), "{}".getBytes(StandardCharsets.UTF_8));

    IOException refused = assertThrows(IOException.class, () -> OciLayout.unpack(tar(entries), work.resolve("evidence-image")));

    assertTrue(refused.getMessage().endsWith("in the image tar does not match its digest"), refused.getMessage());
  }

  @Test
  void anIndexThatDoesNotNameExactlyOneManifestIsRefused() throws IOException {
    Map<String, byte[]> entries = image();
    entries.put("index.json", index(sha256(manifest()), sha256(CONFIG)));

    IOException refused = assertThrows(IOException.class, () -> OciLayout.unpack(tar(entries), work.resolve("evidence-image")));

    assertEquals("the index.json of the OCI layout must name exactly one manifest by its sha256 digest", refused.getMessage());
  }

  @Test
  void aBlobChangedOnDiskAfterwardsIsNeverReadAsTheImage() throws Exception {
    Path folder = work.resolve("evidence-image");
    OciLayout.unpack(tar(image()), folder);
    Path config = folder.resolve("blobs/sha256/" + Digests.sha256Hex(CONFIG));
    Files.write(config, "{\"architecture\":\"arm64\"}".getBytes(StandardCharsets.UTF_8));
    OciLayout layout = OciLayout.open(folder);

    EnvironmentException read = assertThrows(EnvironmentException.class, () -> layout.readBlob(sha256(CONFIG), 1024));
    assertTrue(read.getMessage().endsWith("does not match its digest"), read.getMessage());
    try (InputStream blob = layout.openBlob(sha256(CONFIG))) {
      IOException streamed = assertThrows(IOException.class, () -> blob.readAllBytes());
      assertTrue(streamed.getMessage().endsWith("does not match its digest"), streamed.getMessage());
    }
    EnvironmentException traversal = assertThrows(EnvironmentException.class, () -> layout.openBlob("sha256:../../index.json"));
    assertEquals("not a sha256 digest: sha256:../../index.json", traversal.getMessage());
  }

  @Test
  void aFolderWithoutTheLayoutMarkerIsNoLayout() throws IOException {
    Path folder = Files.createDirectories(work.resolve("plain"));
    try (OutputStream out = Files.newOutputStream(folder.resolve("index.json"))) {
      out.write(index(sha256(manifest())));
    }

    EnvironmentException refused = assertThrows(EnvironmentException.class, () -> OciLayout.open(folder));

    assertEquals(folder + " is not an OCI image layout: it has no oci-layout file", refused.getMessage());
  }
}
