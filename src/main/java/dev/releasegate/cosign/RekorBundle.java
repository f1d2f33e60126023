package dev.releasegate.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The legacy Rekor bundle cosign stores in the {@value CosignLayer#BUNDLE_ANNOTATION} annotation
 * (cosign {@code pkg/cosign/bundle/rekor.go}): the log's signed entry timestamp (SET) and the entry
 * it is over. Written as Go marshals {@code RekorBundle}:
 * {@code {"SignedEntryTimestamp":"<base64>","Payload":{"body":"<base64 entry>","integratedTime":N,"logIndex":N,"logID":"<hex>"}}}.
 *
 * <p>The SET is the log's ECDSA signature over the RFC 8785 canonical JSON of the four Payload fields,
 * {@code {"body":…,"integratedTime":…,"logID":…,"logIndex":…}} (cosign {@code VerifySET}).
 *
 * @param signedEntryTimestamp the SET, DER
 * @param body the log entry, base64 of its canonical JSON
 * @param integratedTime Unix seconds at which the log integrated the entry
 * @param logIndex the entry's index in the log
 * @param logId hex SHA-256 of the log's DER public key
 */
public record RekorBundle(byte[] signedEntryTimestamp, String body, long integratedTime, long logIndex, String logId) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public RekorBundle {
    signedEntryTimestamp = signedEntryTimestamp.clone();
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(logId, "logId");
  }

  @Override
  public byte[] signedEntryTimestamp() {
    return signedEntryTimestamp.clone();
  }

  /** Reads the annotation value strictly: exactly the fields above, of the types above. */
  public static RekorBundle parse(String annotation) throws IOException {
    JsonNode root;
    try {
      root = Json.parse(annotation.getBytes(StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IOException("rekor bundle is not valid JSON: " + e.getOriginalMessage());
    }
    exactKeys(root, Set.of("SignedEntryTimestamp", "Payload"), "rekor bundle");
    JsonNode payload = root.get("Payload");
    exactKeys(payload, Set.of("body", "integratedTime", "logIndex", "logID"), "rekor bundle Payload");
    byte[] set;
    try {
      set = Base64.getDecoder().decode(text(root, "SignedEntryTimestamp"));
    } catch (IllegalArgumentException e) {
      throw new IOException("rekor bundle: SignedEntryTimestamp is not valid base64");
    }
    String logId = text(payload, "logID");
    if (!HEX.matcher(logId).matches()) {
      throw new IOException("rekor bundle: logID must be 64 lowercase hex digits");
    }
    return new RekorBundle(set, text(payload, "body"), integer(payload, "integratedTime"), integer(payload, "logIndex"), logId);
  }

  /** The annotation value, as cosign writes it. */
  public String toAnnotation() {
    byte[] json =
        GoJson.marshal(
            GoJson.Ordered.of(
                Map.entry("SignedEntryTimestamp", Base64.getEncoder().encodeToString(signedEntryTimestamp)),
                Map.entry(
                    "Payload",
                    GoJson.Ordered.of(
                        Map.entry("body", body),
                        Map.entry("integratedTime", integratedTime),
                        Map.entry("logIndex", logIndex),
                        Map.entry("logID", logId)))));
    return new String(json, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RekorBundle that
        && java.util.Arrays.equals(signedEntryTimestamp, that.signedEntryTimestamp)
        && body.equals(that.body)
        && integratedTime == that.integratedTime
        && logIndex == that.logIndex
        && logId.equals(that.logId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(java.util.Arrays.hashCode(signedEntryTimestamp), body, integratedTime, logIndex, logId);
  }

  @Override
  public String toString() {
    return "RekorBundle[logId=" + logId + ", logIndex=" + logIndex + ", integratedTime=" + integratedTime + "]";
  }

  /** The bytes the SET signs. */
  byte[] signedPayload() {
    return RekorChecks.setPayload(body, integratedTime, logId, logIndex);
  }

  private static void exactKeys(JsonNode node, Set<String> keys, String where) throws IOException {
    if (node == null || !node.isObject()) {
      throw new IOException(where + ": expected a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!keys.contains(name)) {
        throw new IOException(where + ": unexpected key \"" + name + "\"");
      }
    }
    for (String key : keys) {
      if (!node.has(key)) {
        throw new IOException(where + ": missing \"" + key + "\"");
      }
    }
  }

  private static String text(JsonNode node, String key) throws IOException {
    if (!node.get(key).isTextual()) {
      throw new IOException("rekor bundle: " + key + " must be a string");
    }
    return node.get(key).textValue();
  }

  private static long integer(JsonNode node, String key) throws IOException {
    JsonNode value = node.get(key);
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw new IOException("rekor bundle: " + key + " must be a non-negative integer");
    }
    return value.longValue();
  }
}
