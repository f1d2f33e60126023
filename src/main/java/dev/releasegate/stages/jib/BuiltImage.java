package dev.releasegate.stages.jib;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.registry.RegistryAccess.BlobUpload;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The image jib-core wrote into a tar, read where it lies: the manifest's exact bytes and each blob
 * (config and layers) as a tar entry to stream, so that what is pushed is what was built, with no
 * second build. An OCI tar holds the manifest itself. A Docker tar ({@code docker load}'s format)
 * holds the config and the layers but not the registry manifest; that one is jib's own manifest of
 * them, so it is made as jib makes it. Either way the manifest must hash to the digest jib reported.
 */
final class BuiltImage implements Closeable {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  /** A manifest, an index.json or a config is a few KiB; more is not one jib wrote. */
  private static final long MAX_JSON_BYTES = 4L << 20;

  private final TarFile tar;
  private final Map<String, TarArchiveEntry> entries = new HashMap<>();
  private final List<BlobUpload> blobs = new ArrayList<>();
  private byte[] manifest;
  private String mediaType;

  private BuiltImage(TarFile tar) {
    this.tar = tar;
    for (TarArchiveEntry entry : tar.getEntries()) {
      if (entry.isFile()) {
        entries.put(entry.getName(), entry);
      }
    }
  }

  /**
   * Reads the tar jib wrote in {@code format}; its manifest must be {@code digest}.
   *
   * @throws IOException when the tar is not the image jib reported
   */
  static BuiltImage open(Path file, ImageFormat format, String digest) throws IOException {
    BuiltImage image = new BuiltImage(new TarFile(file));
    try {
      if (format == ImageFormat.OCI) {
        image.readOci(digest);
      } else {
        image.readDocker();
      }
      String built = "sha256:" + Digests.sha256Hex(image.manifest);
      if (!built.equals(digest)) {
        throw new IOException("jib built " + digest + " but the manifest of its tar is " + built);
      }
      return image;
    } catch (IOException | RuntimeException e) {
      image.close();
      throw e;
    }
  }

  /** The manifest as the registry is to hold it, byte for byte. */
  byte[] manifest() {
    return manifest.clone();
  }

  String mediaType() {
    return mediaType;
  }

  /** The config, then the layers, in the manifest's order. */
  List<BlobUpload> blobs() {
    return List.copyOf(blobs);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  /** {@code index.json} names the manifest, a blob like the config and the layers. */
  private void readOci(String digest) throws IOException {
    JsonNode index = Json.parse(bytes("index.json"));
    String named = index.at("/manifests/0/digest").asText();
    if (index.path("manifests").size() != 1 || !named.equals(digest)) {
      throw new IOException("jib built " + digest + " but the index.json of its tar names " + index.path("manifests"));
    }
    manifest = bytes(ociBlob(digest));
    mediaType = OciManifestTemplate.MANIFEST_MEDIA_TYPE;
    JsonNode parsed = Json.parse(manifest);
    List<JsonNode> descriptors = new ArrayList<>();
    descriptors.add(parsed.path("config"));
    parsed.path("layers").forEach(descriptors::add);
    for (JsonNode descriptor : descriptors) {
      String blob = descriptor.path("digest").asText();
      TarArchiveEntry entry = entry(ociBlob(blob));
      if (entry.getSize() != descriptor.path("size").asLong(-1)) {
        throw new IOException("the manifest gives " + blob + " " + descriptor.path("size") + " bytes, the tar " + entry.getSize());
      }
      add(blob, entry);
    }
  }

  /**
   * {@code manifest.json} names the config file and the layer files ({@code <hex>.tar.gz}, the hex of
   * the compressed layer's digest); the manifest is jib's {@link V22ManifestTemplate} of them.
   */
  private void readDocker() throws IOException {
    JsonNode loaded = Json.parse(bytes("manifest.json"));
    if (loaded.size() != 1) {
      throw new IOException("the manifest.json of jib's tar names " + loaded.size() + " images, not one");
    }
    V22ManifestTemplate template = new V22ManifestTemplate();
    TarArchiveEntry config = entry(loaded.at("/0/Config").asText());
    String configDigest = "sha256:" + Digests.sha256Hex(bytes(config.getName()));
    template.setContainerConfiguration(config.getSize(), descriptor(configDigest));
    add(configDigest, config);
    for (JsonNode layer : loaded.at("/0/Layers")) {
      String hex = layer.asText().replaceFirst("\\.tar\\.gz$", "");
      if (!HEX.matcher(hex).matches()) {
        throw new IOException("the layer file " + layer.asText() + " of jib's tar is not named <sha256 hex>.tar.gz");
      }
      TarArchiveEntry entry = entry(layer.asText());
      template.addLayer(entry.getSize(), descriptor("sha256:" + hex));
      add("sha256:" + hex, entry);
    }
    manifest = JsonTemplateMapper.toByteArray(template);
    mediaType = V22ManifestTemplate.MANIFEST_MEDIA_TYPE;
  }

  /** Each attempt of an upload reads the entry anew from the tar: nothing is held in memory. */
  private void add(String digest, TarArchiveEntry entry) {
    blobs.add(new BlobUpload(digest, entry.getSize(), out -> {
      try (InputStream in = tar.getInputStream(entry)) {
        in.transferTo(out);
      }
    }));
  }

  private byte[] bytes(String name) throws IOException {
    TarArchiveEntry entry = entry(name);
    if (entry.getSize() > MAX_JSON_BYTES) {
      throw new IOException(name + " in jib's tar has more than " + MAX_JSON_BYTES + " bytes");
    }
    try (InputStream in = tar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  private TarArchiveEntry entry(String name) throws IOException {
    TarArchiveEntry entry = entries.get(name);
    if (entry == null) {
      throw new IOException("jib's tar has no " + name);
    }
    return entry;
  }

  private static String ociBlob(String digest) throws IOException {
    if (!digest.startsWith("sha256:") || !HEX.matcher(digest.substring(7)).matches()) {
      throw new IOException("not a sha256 digest: " + digest);
    }
    return "blobs/sha256/" + digest.substring(7);
  }

  private static DescriptorDigest descriptor(String digest) throws IOException {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (DigestException e) {
      throw new IOException("not a sha256 digest: " + digest, e);
    }
  }
}
