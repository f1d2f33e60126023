package dev.releasegate.stages.jib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.registry.RegistryAccess.BlobUpload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar jib-core writes, read back as the manifest and blobs to push, for both formats; from scratch, so offline. */
class BuiltImageTest {
  @TempDir Path work;

  /** Builds a two-layer image from scratch into a tar; returns the digest jib reports. */
  private String build(ImageFormat format, Path tar) throws Exception {
    Path one = Files.writeString(work.resolve("one.txt"), "one\n");
    Path two = Files.writeString(work.resolve("two.txt"), "two\n");
    return Jib.fromScratch()
        .addFileEntriesLayer(FileEntriesLayer.builder().setName("one").addEntry(one, AbsoluteUnixPath.get("/app/one.txt")).build())
        .addFileEntriesLayer(FileEntriesLayer.builder().setName("two").addEntry(two, AbsoluteUnixPath.get("/app/two.txt")).build())
        .setCreationTime(Instant.ofEpochSecond(1_700_000_000))
        .setFormat(format)
        .containerize(Containerizer.to(TarImage.at(tar).named("127.0.0.1:1/app"))
            .setBaseImageLayersCache(work.resolve("cache/base")).setApplicationLayersCache(work.resolve("cache/app")))
        .getDigest().toString();
  }

  private static byte[] content(BlobUpload blob) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    blob.content().writeTo(out);
    return out.toByteArray();
  }

  @Test
  void anOciTarGivesItsOwnManifestAndEachBlobAsTheManifestNamesIt() throws Exception {
    Path tar = work.resolve("oci.tar");
    String digest = build(ImageFormat.OCI, tar);
    try (BuiltImage image = BuiltImage.open(tar, ImageFormat.OCI, digest)) {
      assertEquals(digest, "sha256:" + Digests.sha256Hex(image.manifest()));
      assertEquals("application/vnd.oci.image.manifest.v1+json", image.mediaType());
      assertBlobsAreTheManifests(image);
    }
  }

  @Test
  void aDockerTarGivesJibsV22ManifestOfItsConfigAndLayers() throws Exception {
    Path tar = work.resolve("docker.tar");
    String digest = build(ImageFormat.Docker, tar);
    try (BuiltImage image = BuiltImage.open(tar, ImageFormat.Docker, digest)) {
      assertEquals(digest, "sha256:" + Digests.sha256Hex(image.manifest()), "the manifest jib would have pushed");
      assertEquals("application/vnd.docker.distribution.manifest.v2+json", image.mediaType());
      assertEquals("application/vnd.docker.distribution.manifest.v2+json", Json.parse(image.manifest()).get("mediaType").asText());
      assertBlobsAreTheManifests(image);
    }
  }

  /** Config first, then the layers in order; each blob's bytes are its digest and its size, read again on every attempt. */
  private static void assertBlobsAreTheManifests(BuiltImage image) throws IOException {
    JsonNode manifest = Json.parse(image.manifest());
    List<JsonNode> descriptors = new ArrayList<>(List.of(manifest.get("config")));
    manifest.get("layers").forEach(descriptors::add);
    assertEquals(3, descriptors.size(), "a config and two layers");
    List<BlobUpload> blobs = image.blobs();
    assertEquals(descriptors.size(), blobs.size());
    for (int i = 0; i < blobs.size(); i++) {
      BlobUpload blob = blobs.get(i);
      assertEquals(descriptors.get(i).get("digest").asText(), blob.digest());
      assertEquals(descriptors.get(i).get("size").asLong(), blob.size());
      byte[] bytes = content(blob);
      assertEquals(blob.digest(), "sha256:" + Digests.sha256Hex(bytes));
      assertArrayEquals(bytes, content(blob), "a retry writes the same bytes again");
    }
  }

  @Test
  void aTarWhoseManifestIsNotTheReportedDigestIsRefused() throws Exception {
    String other = "sha256:" + "0".repeat(64);
    Path oci = work.resolve("oci.tar");
    String ociDigest = build(ImageFormat.OCI, oci);
    IOException named = assertThrows(IOException.class, () -> BuiltImage.open(oci, ImageFormat.OCI, other));
    assertTrue(named.getMessage().startsWith("jib built " + other + " but the index.json of its tar names [{"), named.getMessage());
    assertTrue(named.getMessage().contains(ociDigest), named.getMessage());

    Path docker = work.resolve("docker.tar");
    String dockerDigest = build(ImageFormat.Docker, docker);
    IOException made = assertThrows(IOException.class, () -> BuiltImage.open(docker, ImageFormat.Docker, other));
    assertEquals("jib built " + other + " but the manifest of its tar is " + dockerDigest, made.getMessage());
    IOException format = assertThrows(IOException.class, () -> BuiltImage.open(docker, ImageFormat.OCI, dockerDigest));
    assertEquals("jib's tar has no index.json", format.getMessage());
  }
}
