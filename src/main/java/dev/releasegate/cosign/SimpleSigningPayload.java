package dev.releasegate.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The payload cosign signs for a container image (the "simple signing" format of
 * containers-signature(5), cosign flavour), together with its exact bytes.
 *
 * <p>Written as sigstore's {@code payload.Cosign.MarshalJSON} writes it (Go {@code json.Marshal} of a
 * struct with fields critical/optional, critical = identity/image/type): for example
 * {@code {"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:…"},"type":"cosign container image signature"},"optional":null}}.
 * {@code optional} is {@code null} when there are no annotations, else an object with sorted keys. The
 * same writer also reproduces what containers/image ({@code UntrustedCosignPayload.MarshalJSON}) writes,
 * whose {@code optional} holds {@code creator} and an integer {@code timestamp}.
 *
 * <p>Read as containers/image's {@code strictUnmarshalJSON} reads it: top level exactly
 * {@code critical} and {@code optional}; {@code critical} exactly {@code type}, {@code image},
 * {@code identity}; {@code image} exactly {@code docker-manifest-digest}; {@code identity} exactly
 * {@code docker-reference}; no duplicate keys; {@code type} exactly the cosign type; {@code optional}
 * null or an object whose {@code creator} (if any) is a string and {@code timestamp} (if any) an integer,
 * other optional keys being ignored. One deliberate difference: a JSON {@code null} where a string is
 * required is refused here, where Go would quietly read it as the empty string.
 */
public final class SimpleSigningPayload {
  /** The {@code critical.type} of every cosign image signature. */
  public static final String SIGNATURE_TYPE = "cosign container image signature";
  /** The media type of the layer that carries the payload in a {@code .sig} manifest. */
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";

  private static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Set<String> TOP_KEYS = Set.of("critical", "optional");
  private static final Set<String> CRITICAL_KEYS = Set.of("type", "image", "identity");
  private static final Set<String> IMAGE_KEYS = Set.of("docker-manifest-digest");
  private static final Set<String> IDENTITY_KEYS = Set.of("docker-reference");

  private final String dockerReference;
  private final String manifestDigest;
  /** Null when {@code optional} is JSON null; else sorted, values String or Long. */
  private final Map<String, Object> optional;
  private final byte[] bytes;

  private SimpleSigningPayload(String dockerReference, String manifestDigest, Map<String, Object> optional, byte[] bytes) {
    this.dockerReference = dockerReference;
    this.manifestDigest = manifestDigest;
    this.optional = optional == null ? null : Collections.unmodifiableMap(optional);
    this.bytes = bytes;
  }

  /**
   * The payload cosign writes when signing {@code dockerReference@manifestDigest} without annotations.
   * cosign names the repository without a tag ({@code name.Digest.Repository.Name()}); pass a tagged
   * reference only to reproduce a payload that another signer wrote.
   */
  public static SimpleSigningPayload forImage(String dockerReference, String manifestDigest) {
    Objects.requireNonNull(dockerReference, "dockerReference");
    Objects.requireNonNull(manifestDigest, "manifestDigest");
    try {
      DockerReference.parse(dockerReference);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a docker reference: " + dockerReference);
    }
    if (!SHA256_DIGEST.matcher(manifestDigest).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + manifestDigest);
    }
    return build(dockerReference, manifestDigest, null);
  }

  /**
   * The same payload with {@code optional} = the given entries (cosign's {@code -a key=value}
   * annotations are strings; containers/image also writes an integer {@code timestamp}). An empty map
   * is written {@code {}}, as Go writes an empty non-nil map.
   *
   * @param entries values must be {@link String}, {@link Long} or {@link Integer}
   */
  public SimpleSigningPayload withOptional(Map<String, ?> entries) {
    Objects.requireNonNull(entries, "entries");
    TreeMap<String, Object> copy = new TreeMap<>(GoJson.GO_KEY_ORDER);
    for (Map.Entry<String, ?> entry : entries.entrySet()) {
      Object value = entry.getValue();
      if (value instanceof Integer i) {
        value = i.longValue();
      }
      if (!(value instanceof String) && !(value instanceof Long)) {
        throw new IllegalArgumentException("optional." + entry.getKey() + " must be a string or an integer");
      }
      copy.put(Objects.requireNonNull(entry.getKey(), "key"), value);
    }
    return build(dockerReference, manifestDigest, copy);
  }

  private static SimpleSigningPayload build(String reference, String digest, TreeMap<String, Object> optional) {
    GoJson.Ordered critical =
        GoJson.Ordered.of(
            Map.entry("identity", GoJson.Ordered.of(Map.entry("docker-reference", reference))),
            Map.entry("image", GoJson.Ordered.of(Map.entry("docker-manifest-digest", digest))),
            Map.entry("type", SIGNATURE_TYPE));
    Map<String, Object> top = new LinkedHashMap<>();
    top.put("critical", critical);
    top.put("optional", optional);
    byte[] bytes = GoJson.marshal(new GoJson.Ordered(List.copyOf(top.entrySet())));
    return new SimpleSigningPayload(reference, digest, optional, bytes);
  }

  /**
   * Reads signed bytes strictly (see the class comment). The bytes are kept as they are: they, not a
   * re-serialization, are what the signature is over.
   */
  public static SimpleSigningPayload parse(byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (JsonProcessingException e) {
      throw new IOException("payload is not valid JSON: " + e.getOriginalMessage());
    }
    exactKeys(root, TOP_KEYS, "payload");
    JsonNode critical = root.get("critical");
    exactKeys(critical, CRITICAL_KEYS, "critical");
    JsonNode type = critical.get("type");
    if (!type.isTextual()) {
      throw new IOException("payload: critical.type must be a string");
    }
    if (!type.textValue().equals(SIGNATURE_TYPE)) {
      throw new IOException("payload: unrecognized signature type \"" + type.textValue() + "\"");
    }
    JsonNode image = critical.get("image");
    exactKeys(image, IMAGE_KEYS, "critical.image");
    String digest = string(image.get("docker-manifest-digest"), "critical.image.docker-manifest-digest");
    JsonNode identity = critical.get("identity");
    exactKeys(identity, IDENTITY_KEYS, "critical.identity");
    String reference = string(identity.get("docker-reference"), "critical.identity.docker-reference");

    JsonNode optionalNode = root.get("optional");
    TreeMap<String, Object> optional = null;
    if (!optionalNode.isNull()) {
      if (!optionalNode.isObject()) {
        throw new IOException("payload: optional must be null or an object");
      }
      optional = new TreeMap<>(GoJson.GO_KEY_ORDER);
      for (Iterator<Map.Entry<String, JsonNode>> it = optionalNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String key = field.getKey();
        JsonNode value = field.getValue();
        if (key.equals("creator") && !value.isTextual()) {
          throw new IOException("payload: optional.creator must be a string");
        }
        if (key.equals("timestamp") && !isInt64(value)) {
          throw new IOException("payload: optional.timestamp must be an integer");
        }
        // Other keys are ignored by containers/image; keep the ones this API can represent.
        if (value.isTextual()) {
          optional.put(key, value.textValue());
        } else if (isInt64(value)) {
          optional.put(key, value.longValue());
        }
      }
    }
    return new SimpleSigningPayload(reference, digest, optional, bytes.clone());
  }

  /** Go decodes the timestamp into a float64 and refuses a fractional value; 1.5e9 is an integer. */
  private static boolean isInt64(JsonNode value) {
    return value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong();
  }

  private static void exactKeys(JsonNode node, Set<String> keys, String where) throws IOException {
    if (node == null || !node.isObject()) {
      throw new IOException(where.equals("payload") ? "payload: expected a JSON object" : "payload: " + where + " must be a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!keys.contains(name)) {
        throw new IOException(
            "payload: unknown key \"" + name + "\"" + (where.equals("payload") ? "" : " in " + where));
      }
    }
    for (String key : keys.stream().sorted().toList()) {
      if (!node.has(key)) {
        throw new IOException("payload: missing \"" + key + "\"" + (where.equals("payload") ? "" : " in " + where));
      }
    }
  }

  private static String string(JsonNode node, String where) throws IOException {
    if (!node.isTextual()) {
      throw new IOException("payload: " + where + " must be a string");
    }
    return node.textValue();
  }

  /** {@code critical.identity.docker-reference}, as written (possibly with a tag). */
  public String dockerReference() {
    return dockerReference;
  }

  /** {@code critical.image.docker-manifest-digest}. */
  public String manifestDigest() {
    return manifestDigest;
  }

  /** False when {@code optional} is JSON null. */
  public boolean hasOptional() {
    return optional != null;
  }

  /** The string-valued entries of {@code optional} (cosign's annotations, containers/image's creator). */
  public Map<String, String> annotations() {
    if (optional == null) {
      return Map.of();
    }
    Map<String, String> strings = new TreeMap<>(GoJson.GO_KEY_ORDER);
    optional.forEach((k, v) -> {
      if (v instanceof String s) {
        strings.put(k, s);
      }
    });
    return Collections.unmodifiableMap(strings);
  }

  /** {@code optional.creator}, as containers/image writes it. */
  public Optional<String> creator() {
    return optional != null && optional.get("creator") instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** {@code optional.timestamp} (Unix seconds), as containers/image writes it. */
  public Optional<Long> timestamp() {
    return optional != null && optional.get("timestamp") instanceof Long l ? Optional.of(l) : Optional.empty();
  }

  /** The exact bytes: the layer blob, and what the signature is over. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** {@code sha256:<hex>} of {@link #bytes()}: the layer digest and its {@code rootfs.diff_ids} entry. */
  public String digest() {
    return "sha256:" + Digests.sha256Hex(bytes);
  }

  @Override
  public String toString() {
    return "SimpleSigningPayload[" + dockerReference + "@" + manifestDigest + "]";
  }
}
