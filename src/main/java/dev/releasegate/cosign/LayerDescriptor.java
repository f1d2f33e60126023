package dev.releasegate.cosign;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An OCI descriptor of one layer of a {@code .sig} or {@code .att} manifest: what the registry code
 * needs to push or fetch the blob, and the annotations cosign keeps beside it (the signature, the
 * certificate, the Rekor bundle).
 *
 * @param mediaType the layer media type
 * @param digest {@code sha256:} and 64 lowercase hex digits
 * @param size the blob size in bytes
 * @param annotations the descriptor annotations; kept in the order Go writes map keys
 */
public record LayerDescriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
  static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public LayerDescriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (mediaType.isEmpty()) {
      throw new IllegalArgumentException("media type must not be empty");
    }
    if (!SHA256_DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + digest);
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    TreeMap<String, String> sorted = new TreeMap<>(GoJson.GO_KEY_ORDER);
    annotations.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "annotation key"), Objects.requireNonNull(v, "annotation value")));
    annotations = Collections.unmodifiableMap(sorted);
  }

  /** The Go struct form of {@code v1.Descriptor}: mediaType, size, digest, annotations (omitted when empty). */
  GoJson.Ordered toGo() {
    return annotations.isEmpty()
        ? GoJson.Ordered.of(Map.entry("mediaType", mediaType), Map.entry("size", size), Map.entry("digest", digest))
        : GoJson.Ordered.of(
            Map.entry("mediaType", mediaType),
            Map.entry("size", size),
            Map.entry("digest", digest),
            Map.entry("annotations", annotations));
  }
}
