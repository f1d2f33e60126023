package dev.releasegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An OCI content descriptor: what a manifest or an index says about another blob or manifest.
 *
 * @param artifactType set on the descriptors of a referrers index
 * @param annotations sorted by key, so that the JSON written is the same every time
 */
public record Descriptor(String mediaType, String digest, long size, Optional<String> artifactType, Map<String, String> annotations) {
  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(artifactType, "artifactType");
    if (!SHA256.matcher(Objects.requireNonNull(digest, "digest")).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + digest);
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  public static Descriptor of(String mediaType, byte[] content) {
    return new Descriptor(mediaType, "sha256:" + Digests.sha256Hex(content), content.length, Optional.empty(), Map.of());
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object().put("mediaType", mediaType).put("digest", digest).put("size", size);
    artifactType.ifPresent(type -> node.put("artifactType", type));
    if (!annotations.isEmpty()) {
      ObjectNode map = node.putObject("annotations");
      annotations.forEach(map::put);
    }
    return node;
  }

  /** Reads a descriptor strictly enough that a hostile registry cannot make it mean something else. */
  public static Descriptor parse(JsonNode node, String where) throws IOException {
    if (!node.isObject()) {
      throw new IOException(where + ": a descriptor must be an object");
    }
    JsonNode mediaType = node.get("mediaType");
    JsonNode digest = node.get("digest");
    JsonNode size = node.get("size");
    if (mediaType == null || !mediaType.isTextual() || digest == null || !digest.isTextual() || size == null || !size.canConvertToLong()) {
      throw new IOException(where + ": a descriptor needs mediaType, digest and size");
    }
    Optional<String> artifactType = Optional.empty();
    if (node.has("artifactType")) {
      if (!node.get("artifactType").isTextual()) {
        throw new IOException(where + ": artifactType must be a string");
      }
      artifactType = Optional.of(node.get("artifactType").textValue());
    }
    Map<String, String> annotations = new TreeMap<>();
    JsonNode annotationNode = node.path("annotations");
    if (!annotationNode.isMissingNode()) {
      if (!annotationNode.isObject()) {
        throw new IOException(where + ": annotations must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = annotationNode.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getValue().isTextual()) {
          throw new IOException(where + ": annotation " + field.getKey() + " must be a string");
        }
        annotations.put(field.getKey(), field.getValue().textValue());
      }
    }
    try {
      return new Descriptor(mediaType.textValue(), digest.textValue(), size.longValue(), artifactType, annotations);
    } catch (IllegalArgumentException e) {
      throw new IOException(where + ": " + e.getMessage());
    }
  }
}
