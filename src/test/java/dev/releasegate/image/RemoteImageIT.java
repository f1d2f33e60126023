package dev.releasegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.testing.LocalRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Images read from a real registry by digest: every layer is read and checked against the manifest's
 * size and the config's diff_id, and an image that is not what it says fails, naming the layer.
 */
class RemoteImageIT {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  @RegisterExtension static LocalRegistry registry = new LocalRegistry();

  /** One layer of an image to push: its blob, the diff_id its config claims, the size its manifest claims. */
  private record Pushed(byte[] blob, String diffId, long size) {
    static Pushed of(TestLayers layer) {
      return new Pushed(layer.gzip(), "sha256:" + Digests.sha256Hex(layer.tar()), layer.gzip().length);
    }
  }

  @Test
  void readsEveryLayerInOrderWhateverOrderTheyAreReadIn() throws Exception {
    List<Pushed> layers = new ArrayList<>();
    layers.add(Pushed.of(TestLayers.layer().file("etc/os-release", "ID=debian\n").file("usr/bin/sh", "elf").file("big", new byte[200_000])));
    for (int i = 1; i < 6; i++) {
      layers.add(Pushed.of(TestLayers.layer().file("etc/os-release", "ID=layer" + i + "\n")));
    }
    layers.add(Pushed.of(TestLayers.layer().whiteout("usr/bin/sh").file("app/hello", "hello")));
    RemoteImage image = RemoteImage.read(access("good"), push("good", layers, OCI_MANIFEST, config(layers)));

    assertEquals(OCI_MANIFEST, image.manifestMediaType());
    assertEquals("65532", image.config().user());
    assertEquals(false, image.config().docker());
    assertEquals(7, image.layers().size());
    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    List<LayerChanges<String>> read = image.readLayers(Collections.nCopies(7, TestLayers.TEXT), progress::add);

    assertEquals(7, progress.size());
    assertTrue(progress.contains("read layer 7 of 7"), progress.toString());
    for (int i = 0; i < 7; i++) {
      assertEquals(layers.get(i).diffId(), read.get(i).summary().diffId(), "layer " + i + " in manifest order");
    }
    ImageFiles<String> files = ImageFiles.merge(read);
    assertEquals("ID=layer5\n", files.find("/etc/os-release").orElseThrow(), "the top layer that writes it wins");
    assertEquals(Set.of("/app/hello", "/big", "/etc/os-release"), files.files().keySet());
  }

  @Test
  void aDockerImageSaysSo() throws Exception {
    List<Pushed> layers = List.of(Pushed.of(TestLayers.layer().file("a", "a")));
    RemoteImage image = RemoteImage.read(access("docker"), push("docker", layers, DOCKER_MANIFEST, config(layers)));
    assertEquals(DOCKER_MANIFEST, image.manifestMediaType());
    assertEquals(true, image.config().docker(), "its config may declare a health check");
  }

  @Test
  void aLayerThatUnpacksToAnotherDiffIdFails() throws Exception {
    Pushed real = Pushed.of(TestLayers.layer().file("a", "a"));
    String claimed = "sha256:" + "0".repeat(64);
    List<Pushed> layers = List.of(new Pushed(real.blob(), claimed, real.size()));
    ImageReference reference = push("diff-id", layers, OCI_MANIFEST, config(layers));
    RemoteImage image = RemoteImage.read(access("diff-id"), reference);

    EnvironmentException e = assertThrows(EnvironmentException.class, () -> image.readLayers(List.of(TestLayers.TEXT), line -> {}));
    assertEquals("layer sha256:" + Digests.sha256Hex(real.blob()) + " of " + reference + " unpacks to " + real.diffId()
        + ", but the image config says " + claimed, e.getMessage());
  }

  @Test
  void aLayerOfAnotherSizeThanTheManifestSaysFails() throws Exception {
    Pushed real = Pushed.of(TestLayers.layer().file("a", "a"));
    List<Pushed> layers = List.of(new Pushed(real.blob(), real.diffId(), real.size() + 1));
    ImageReference reference = push("size", layers, OCI_MANIFEST, config(layers));
    RemoteImage image = RemoteImage.read(access("size"), reference);

    EnvironmentException e = assertThrows(EnvironmentException.class, () -> image.readLayers(List.of(TestLayers.TEXT), line -> {}));
    assertEquals("layer sha256:" + Digests.sha256Hex(real.blob()) + " of " + reference + " has " + real.size() + " bytes, the manifest says "
        + (real.size() + 1), e.getMessage());
  }

  @Test
  void aZstdLayerFailsByName() throws Exception {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    List<Pushed> layers = List.of(new Pushed(zstd, "sha256:" + "1".repeat(64), zstd.length));
    ImageReference reference = push("zstd", layers, OCI_MANIFEST, config(layers));

    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> RemoteImage.read(access("zstd"), reference).readLayers(List.of(TestLayers.TEXT), line -> {}));
    assertEquals("layer sha256:" + Digests.sha256Hex(zstd) + " of " + reference
        + " is not a valid tar.gz: it is zstd-compressed; releasegate reads gzip and plain tar layers", e.getMessage());
  }

  @Test
  void aConfigThatDoesNotListEveryLayerFails() throws Exception {
    List<Pushed> layers = List.of(Pushed.of(TestLayers.layer().file("a", "a")), Pushed.of(TestLayers.layer().file("b", "b")));
    ImageReference reference = push("count", layers, OCI_MANIFEST, config(layers.subList(0, 1)));

    EnvironmentException e = assertThrows(EnvironmentException.class, () -> RemoteImage.read(access("count"), reference));
    assertEquals(reference + " has 2 layers but its config lists 1 diff_ids", e.getMessage());
  }

  @Test
  void anIndexIsNotAnImage() throws Exception {
    List<Pushed> layers = List.of(Pushed.of(TestLayers.layer().file("a", "a")));
    ImageReference child = push("index", layers, OCI_MANIFEST, config(layers));
    ObjectNode index = Json.object().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
    byte[] childManifest = registry.manifest("index", child.digest()).orElseThrow();
    index.putArray("manifests").addObject().put("mediaType", OCI_MANIFEST).put("digest", child.digest()).put("size", childManifest.length)
        .putObject("platform").put("architecture", "amd64").put("os", "linux");
    String digest = access("index").putManifest(Json.compact(index), "application/vnd.oci.image.index.v1+json", "multi");
    ImageReference reference = new ImageReference(registry.address() + "/index", digest);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> RemoteImage.read(access("index"), reference));
    assertEquals(reference + " is not a single image manifest (application/vnd.oci.image.index.v1+json); releasegate reads OCI and"
        + " Docker v2.2 image manifests, not indexes or schema 1", e.getMessage());
  }

  // ---- helpers ----

  private static RegistryAccess access(String repository) {
    return RegistryAccess.open(registry.address() + "/" + repository, new RegistrySettings(true, Map.of(), line -> {}));
  }

  private static ObjectNode config(List<Pushed> layers) {
    ObjectNode config = Json.object().put("architecture", "amd64").put("os", "linux");
    config.putObject("config").put("User", "65532");
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    layers.forEach(layer -> diffIds.add(layer.diffId()));
    return config;
  }

  /** Pushes the blobs, the config and a manifest that lists each layer with its claimed size; returns the image by digest. */
  private static ImageReference push(String repository, List<Pushed> layers, String mediaType, ObjectNode config)
      throws InterruptedException {
    RegistryAccess access = access(repository);
    byte[] configBytes = Json.compact(config);
    String configDigest = access.putBlob(configBytes);
    boolean docker = mediaType.equals(DOCKER_MANIFEST);
    ObjectNode manifest = Json.object().put("schemaVersion", 2).put("mediaType", mediaType);
    manifest.putObject("config")
        .put("mediaType", docker ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json")
        .put("digest", configDigest).put("size", configBytes.length);
    ArrayNode descriptors = manifest.putArray("layers");
    for (Pushed layer : layers) {
      descriptors.addObject()
          .put("mediaType", docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip")
          .put("digest", access.putBlob(layer.blob())).put("size", layer.size());
    }
    String digest = access.putManifest(Json.compact(manifest), mediaType, "t-" + Math.abs(manifest.hashCode()));
    return new ImageReference(registry.address() + "/" + repository, digest);
  }
}
