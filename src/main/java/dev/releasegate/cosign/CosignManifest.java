package dev.releasegate.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The manifest and config of a {@code .sig} or {@code .att} "image", byte for byte as cosign writes them.
 * Immutable; {@link #append} returns a new one.
 *
 * <p>cosign builds these with go-containerregistry: {@code empty.Signatures()} (OCI manifest and config
 * media types unless {@code COSIGN_DOCKER_MEDIA_TYPES} is set), then {@code mutate.Append} of one
 * {@code Addendum} per signature, whose descriptor annotations are the signature's annotations
 * (cosign {@code pkg/oci/mutate/signatures.go}, go-containerregistry {@code pkg/v1/mutate/image.go}).
 * Appending adds a {@code rootfs.diff_ids} entry (the blob digest: the layers are not compressed) and an
 * empty history entry per layer, and the config is written with Go's {@code json.Marshal} of
 * {@code v1.ConfigFile}:
 * {@code {"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":["sha256:…"]},"config":{}}}.
 * cosign 2 stamps {@code created} only with {@code --record-creation-timestamp}; this class never does,
 * so the bytes follow from the layers alone. The config is rebuilt from the layers on every append
 * (readers never look at it), which drops a {@code created} time an old cosign may have written.
 *
 * <p>{@link #parse} reads a fetched manifest strictly: schema version 2, an OCI (or, as cosign writes
 * with {@code COSIGN_DOCKER_MEDIA_TYPES=1}, a Docker v2.2) manifest with the matching config media type,
 * only the descriptor fields cosign writes, every layer of this kind's media type, at most 1000 layers
 * (cosign's own limit, {@code pkg/oci/remote/signatures.go}).
 */
public final class CosignManifest {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  /** cosign refuses to read more layers than this from one signature manifest. */
  public static final int MAX_LAYERS = 1000;

  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
  private static final Set<String> MANIFEST_KEYS = Set.of("schemaVersion", "mediaType", "config", "layers", "annotations");
  private static final Set<String> DESCRIPTOR_KEYS = Set.of("mediaType", "size", "digest", "annotations");

  /** The result of {@link #append}: the manifest to push, and the existing layer that made it redundant. */
  public record Appended(CosignManifest manifest, Optional<LayerDescriptor> duplicateOf) {
    public Appended {
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(duplicateOf, "duplicateOf");
    }

    /** False when nothing was added: the manifest in the registry need not be written again. */
    public boolean changed() {
      return duplicateOf.isEmpty();
    }
  }

  private final AttachmentKind kind;
  private final String mediaType;
  private final String configMediaType;
  private final List<LayerDescriptor> layers;
  private final Map<String, String> annotations;
  private final byte[] config;
  private final byte[] manifest;

  private CosignManifest(
      AttachmentKind kind, String mediaType, String configMediaType, List<LayerDescriptor> layers, Map<String, String> annotations) {
    this.kind = kind;
    this.mediaType = mediaType;
    this.configMediaType = configMediaType;
    this.layers = List.copyOf(layers);
    this.annotations = Collections.unmodifiableMap(GoJson.sorted(annotations));
    this.config = layers.isEmpty() ? null : configJson(this.layers);
    this.manifest = layers.isEmpty() ? null : manifestJson();
  }

  /** No signatures yet: what {@code cosign sign} starts from when the tag does not exist. */
  public static CosignManifest empty(AttachmentKind kind) {
    return new CosignManifest(Objects.requireNonNull(kind, "kind"), OCI_MANIFEST, OCI_CONFIG, List.of(), Map.of());
  }

  /**
   * Reads a manifest fetched from the {@code .sig} or {@code .att} tag (see the class comment for what
   * is checked). The message of the exception says what is wrong, naming the layer by its 1-based index.
   */
  public static CosignManifest parse(AttachmentKind kind, byte[] manifestJson) throws IOException {
    Objects.requireNonNull(kind, "kind");
    JsonNode root;
    try {
      root = Json.parse(manifestJson);
    } catch (JsonProcessingException e) {
      throw new IOException("manifest is not valid JSON: " + e.getOriginalMessage());
    }
    if (!root.isObject()) {
      throw new IOException("manifest: expected a JSON object");
    }
    onlyKeys(root, MANIFEST_KEYS, "manifest");
    JsonNode schema = root.get("schemaVersion");
    if (schema == null || !schema.isIntegralNumber() || schema.longValue() != 2) {
      throw new IOException("manifest: schemaVersion must be 2");
    }
    String mediaType = text(root, "mediaType", "manifest");
    String expectedConfig;
    if (mediaType.equals(OCI_MANIFEST)) {
      expectedConfig = OCI_CONFIG;
    } else if (mediaType.equals(DOCKER_MANIFEST)) {
      expectedConfig = DOCKER_CONFIG;
    } else {
      throw new IOException("manifest: media type " + mediaType + " is not an image manifest (expected " + OCI_MANIFEST + ")");
    }
    LayerDescriptor config = descriptor(root.get("config"), "config");
    if (!config.mediaType().equals(expectedConfig)) {
      throw new IOException("config: media type " + config.mediaType() + ", expected " + expectedConfig);
    }
    JsonNode layerList = root.get("layers");
    if (layerList == null || !layerList.isArray()) {
      throw new IOException("manifest: layers must be an array");
    }
    if (layerList.size() > MAX_LAYERS) {
      throw new IOException("manifest has " + layerList.size() + " layers, more than the " + MAX_LAYERS + " cosign reads");
    }
    List<LayerDescriptor> layers = new ArrayList<>();
    for (int i = 0; i < layerList.size(); i++) {
      String where = "layer " + (i + 1);
      LayerDescriptor layer = descriptor(layerList.get(i), where);
      if (!layer.mediaType().equals(kind.layerMediaType())) {
        throw new IOException(where + ": media type " + layer.mediaType() + ", expected " + kind.layerMediaType());
      }
      layers.add(layer);
    }
    Map<String, String> annotations = root.has("annotations") ? stringMap(root.get("annotations"), "manifest annotations") : Map.of();
    return new CosignManifest(kind, mediaType, expectedConfig, layers, annotations);
  }

  /**
   * Adds {@code layer} after the existing ones, unless an existing layer with the same blob digest and
   * media type is a duplicate by {@code duplicates}; then this manifest is returned unchanged, naming it.
   */
  public Appended append(CosignLayer layer, DuplicateCheck duplicates) {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(duplicates, "duplicates");
    LayerDescriptor added = layer.descriptor();
    if (!added.mediaType().equals(kind.layerMediaType())) {
      throw new IllegalArgumentException("a " + kind + " manifest takes " + kind.layerMediaType() + " layers, not " + added.mediaType());
    }
    for (LayerDescriptor existing : layers) {
      if (existing.digest().equals(added.digest())
          && existing.mediaType().equals(added.mediaType())
          && duplicates.isDuplicate(existing, layer)) {
        return new Appended(this, Optional.of(existing));
      }
    }
    if (layers.size() >= MAX_LAYERS) {
      throw new IllegalStateException("the manifest already has " + MAX_LAYERS + " layers, the most cosign reads");
    }
    List<LayerDescriptor> more = new ArrayList<>(layers);
    more.add(added);
    return new Appended(new CosignManifest(kind, mediaType, configMediaType, more, annotations), Optional.empty());
  }

  public AttachmentKind kind() {
    return kind;
  }

  /** The manifest media type (OCI unless a fetched manifest said otherwise): the Content-Type to push with. */
  public String mediaType() {
    return mediaType;
  }

  /** The layers in order, oldest first. */
  public List<LayerDescriptor> layers() {
    return layers;
  }

  /** The config blob to push before the manifest. */
  public byte[] configBytes() {
    requireLayers();
    return config.clone();
  }

  /** The descriptor of {@link #configBytes()} as the manifest names it. */
  public LayerDescriptor config() {
    requireLayers();
    return new LayerDescriptor(configMediaType, "sha256:" + Digests.sha256Hex(config), config.length, Map.of());
  }

  /** The manifest to push to the {@link AttachmentKind#tag tag}. */
  public byte[] manifestBytes() {
    requireLayers();
    return manifest.clone();
  }

  /** {@code sha256:<hex>} of {@link #manifestBytes()}. */
  public String digest() {
    requireLayers();
    return "sha256:" + Digests.sha256Hex(manifest);
  }

  private void requireLayers() {
    if (layers.isEmpty()) {
      throw new IllegalStateException("a manifest without layers is never written");
    }
  }

  private static byte[] configJson(List<LayerDescriptor> layers) {
    List<Object> history = new ArrayList<>();
    List<Object> diffIds = new ArrayList<>();
    for (LayerDescriptor layer : layers) {
      // An empty v1.History still writes "created": it is a struct, which omitempty never omits.
      history.add(GoJson.Ordered.of(Map.entry("created", ZERO_TIME)));
      diffIds.add(layer.digest());
    }
    return GoJson.marshal(
        GoJson.Ordered.of(
            Map.entry("architecture", ""),
            Map.entry("created", ZERO_TIME),
            Map.entry("history", history),
            Map.entry("os", ""),
            Map.entry("rootfs", GoJson.Ordered.of(Map.entry("type", "layers"), Map.entry("diff_ids", diffIds))),
            Map.entry("config", Map.of())));
  }

  private byte[] manifestJson() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("schemaVersion", 2L);
    fields.put("mediaType", mediaType);
    fields.put("config", config().toGo());
    fields.put("layers", layers.stream().map(l -> (Object) l.toGo()).toList());
    if (!annotations.isEmpty()) {
      fields.put("annotations", annotations);
    }
    return GoJson.marshal(new GoJson.Ordered(List.copyOf(fields.entrySet())));
  }

  private static LayerDescriptor descriptor(JsonNode node, String where) throws IOException {
    if (node == null || !node.isObject()) {
      throw new IOException(where + ": expected a JSON object");
    }
    onlyKeys(node, DESCRIPTOR_KEYS, where);
    String mediaType = text(node, "mediaType", where);
    String digest = text(node, "digest", where);
    if (!LayerDescriptor.SHA256_DIGEST.matcher(digest).matches()) {
      throw new IOException(where + ": digest must be sha256:<64 hex>, found " + digest);
    }
    JsonNode size = node.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
      throw new IOException(where + ": size must be a non-negative integer");
    }
    Map<String, String> annotations = node.has("annotations") ? stringMap(node.get("annotations"), where + " annotations") : Map.of();
    return new LayerDescriptor(mediaType, digest, size.longValue(), annotations);
  }

  private static void onlyKeys(JsonNode node, Set<String> allowed, String where) throws IOException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new IOException(where + ": unexpected key \"" + name + "\"");
      }
    }
  }

  private static String text(JsonNode node, String key, String where) throws IOException {
    JsonNode value = node.get(key);
    if (value == null || !value.isTextual()) {
      throw new IOException(where + ": " + key + " must be a string");
    }
    return value.textValue();
  }

  private static Map<String, String> stringMap(JsonNode node, String where) throws IOException {
    if (!node.isObject()) {
      throw new IOException(where + ": expected a JSON object");
    }
    Map<String, String> map = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new IOException(where + ": \"" + entry.getKey() + "\" must be a string");
      }
      map.put(entry.getKey(), entry.getValue().textValue());
    }
    return map;
  }
}
