package dev.releasegate.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.DsseEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Offline checks of a Rekor v1 log entry: the signed entry timestamp (the log's promise to include the
 * entry) and that the entry is about this signature. Each check returns empty when it passes, else why
 * not in one line.
 */
final class RekorChecks {
  private RekorChecks() {}

  /**
   * The RFC 8785 canonical JSON the SET signs: keys sorted, no whitespace. The four keys are fixed and
   * sort as {@code body, integratedTime, logID, logIndex}; numbers are integers.
   */
  static byte[] setPayload(String body, long integratedTime, String logId, long logIndex) {
    StringBuilder out = new StringBuilder(body.length() + 128);
    out.append("{\"body\":");
    canonicalString(out, body);
    out.append(",\"integratedTime\":").append(integratedTime).append(",\"logID\":");
    canonicalString(out, logId);
    out.append(",\"logIndex\":").append(logIndex).append('}');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 8785 (ECMAScript) string form: only quote, backslash and control characters are escaped. */
  private static void canonicalString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** The SET verifies with the trusted key of the log the entry names, valid at the integrated time. */
  static Optional<String> checkSet(
      TransparencyLogKeys logs, byte[] set, String body, long integratedTime, String logId, long logIndex) {
    Optional<TransparencyLogKeys.LogKey> log = logs.find(logId);
    if (log.isEmpty()) {
      return Optional.of("entry is from log " + logId + ", which is not a trusted transparency log");
    }
    if (log.get().key().isEmpty()) {
      return Optional.of("log " + logId + " has a " + log.get().keyDetails() + " key, which is not supported");
    }
    Instant time = Instant.ofEpochSecond(integratedTime);
    if (!log.get().validAt(time)) {
      return Optional.of("log key " + logId + " was not valid at the integrated time " + time);
    }
    if (!log.get().verifies(setPayload(body, integratedTime, logId, logIndex), set)) {
      return Optional.of("signed entry timestamp does not verify with the key of log " + logId);
    }
    return Optional.empty();
  }

  /**
   * The logged entry is this signature over {@code signed} by this verifier: a {@code hashedrekord} of
   * the signed bytes or, for an envelope, also a {@code dsse} entry of its payload (cosign's attestations).
   */
  static Optional<String> checkEntry(String body, byte[] signed, byte[] signature, byte[] verifierDer, Optional<DsseEnvelope> envelope) {
    if (envelope.isPresent() && kind(body).equals("dsse 0.0.1")) {
      return checkDsse(body, Digests.sha256().digest(envelope.get().payload()), signature, verifierDer);
    }
    return checkHashedRekord(body, Digests.sha256().digest(signed), signature, verifierDer);
  }

  /** {@code "<kind> <apiVersion>"} of a log entry body, or {@code ""} when it cannot be read. */
  static String kind(String body) {
    return parseEntry(body).map(RekorChecks::kindOf).orElse("");
  }

  private static Optional<JsonNode> parseEntry(String body) {
    try {
      return Optional.of(Json.parse(Base64.getDecoder().decode(body)));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static String kindOf(JsonNode entry) {
    return entry.path("kind").asText("") + " " + entry.path("apiVersion").asText("");
  }

  private static Optional<String> checkKind(JsonNode entry, String expected) {
    return kindOf(entry).equals(expected) ? Optional.empty() : Optional.of("log entry is " + kindOf(entry) + ", expected " + expected);
  }

  /** A logged {@code {"algorithm": "sha256", "value": hex}} names exactly these bytes' digest. */
  private static Optional<String> checkSha256(JsonNode hash, byte[] sha256) {
    if (!hash.path("algorithm").asText("").equals("sha256")) {
      return Optional.of("log entry hash algorithm is " + hash.path("algorithm").asText("missing") + ", expected sha256");
    }
    String expectedHex = HexFormat.of().formatHex(sha256);
    String loggedHex = hash.path("value").asText("");
    return loggedHex.equals(expectedHex)
        ? Optional.empty()
        : Optional.of("log entry names payload sha256:" + loggedHex + ", payload is sha256:" + expectedHex);
  }

  /** {@link #checkSet(TransparencyLogKeys, byte[], String, long, String, long)} for a cosign bundle annotation. */
  static Optional<String> checkSet(TransparencyLogKeys logs, RekorBundle bundle) {
    return checkSet(logs, bundle.signedEntryTimestamp(), bundle.body(), bundle.integratedTime(), bundle.logId(), bundle.logIndex());
  }

  /**
   * The entry (base64 canonical JSON of a {@code dsse} 0.0.1, what cosign logs for an attestation) is
   * about this envelope payload, with this signature by this certificate or key. The entry's
   * {@code envelopeHash} is not compared: it hashes the envelope as it was sent to the log, and the
   * layer's JSON need not have the same bytes; payload, signature and verifier pin what was signed.
   *
   * @param payloadSha256 the SHA-256 of the envelope's payload (not of its PAE)
   * @param verifierDer DER of the public key (SubjectPublicKeyInfo) or of the leaf certificate
   */
  static Optional<String> checkDsse(String body, byte[] payloadSha256, byte[] signature, byte[] verifierDer) {
    Optional<JsonNode> entry = parseEntry(body);
    if (entry.isEmpty()) {
      return Optional.of("log entry body is not base64 JSON");
    }
    JsonNode spec = entry.get().path("spec");
    Optional<String> problem = checkKind(entry.get(), "dsse 0.0.1").or(() -> checkSha256(spec.path("payloadHash"), payloadSha256));
    if (problem.isPresent()) {
      return problem;
    }
    for (JsonNode logged : spec.path("signatures")) {
      try {
        byte[] loggedSignature = Base64.getDecoder().decode(logged.path("signature").asText(""));
        List<PemBlocks.Block> blocks = PemBlocks.decode(Base64.getDecoder().decode(logged.path("verifier").asText("")));
        if (Arrays.equals(loggedSignature, signature) && blocks.size() == 1 && Arrays.equals(blocks.get(0).der(), verifierDer)) {
          return Optional.empty();
        }
      } catch (IllegalArgumentException e) {
        return Optional.of("log entry signature or verifier is not base64");
      }
    }
    return Optional.of("log entry holds no signature by this signer");
  }

  /**
   * The entry (base64 canonical JSON of a {@code hashedrekord} 0.0.1) is about this payload, this
   * signature and this verifier, as cosign's {@code VerifyBundle} demands ({@code bundleHash},
   * {@code compareSigs}, {@code comparePublicKey}).
   *
   * @param payloadSha256 the SHA-256 of the signed bytes
   * @param verifierDer DER of the public key (SubjectPublicKeyInfo) or of the leaf certificate
   */
  static Optional<String> checkHashedRekord(String body, byte[] payloadSha256, byte[] signature, byte[] verifierDer) {
    Optional<JsonNode> entry = parseEntry(body);
    if (entry.isEmpty()) {
      return Optional.of("log entry body is not base64 JSON");
    }
    JsonNode spec = entry.get().path("spec");
    Optional<String> problem = checkKind(entry.get(), "hashedrekord 0.0.1").or(() -> checkSha256(spec.path("data").path("hash"), payloadSha256));
    if (problem.isPresent()) {
      return problem;
    }
    byte[] loggedSignature;
    try {
      loggedSignature = Base64.getDecoder().decode(spec.path("signature").path("content").asText(""));
    } catch (IllegalArgumentException e) {
      return Optional.of("log entry signature is not base64");
    }
    if (!Arrays.equals(loggedSignature, signature)) {
      return Optional.of("log entry holds another signature");
    }
    List<PemBlocks.Block> blocks;
    try {
      blocks = PemBlocks.decode(Base64.getDecoder().decode(spec.path("signature").path("publicKey").path("content").asText("")));
    } catch (IllegalArgumentException e) {
      return Optional.of("log entry public key is not base64 PEM");
    }
    if (blocks.size() != 1) {
      return Optional.of("log entry public key is not one PEM block");
    }
    if (!Arrays.equals(blocks.get(0).der(), verifierDer)) {
      return Optional.of("log entry names another " + (blocks.get(0).type().equals("CERTIFICATE") ? "certificate" : "public key"));
    }
    return Optional.empty();
  }

  /**
   * The RFC 6962 inclusion proof leads from the entry to {@code rootHash}, and the checkpoint (a signed
   * note, {@code origin\nsize\nbase64 root\n\n— name base64(key hint ‖ signature)\n}) commits the log
   * to that root at that size, signed by the log's key.
   *
   * @param body the entry as logged (the decoded canonicalized body): the Merkle leaf
   * @param index the entry's index in the tree the proof is for (the proof's own logIndex)
   */
  static Optional<String> checkInclusionProof(
      TransparencyLogKeys logs, String logId, byte[] body, long index, long treeSize, byte[] rootHash, List<byte[]> path, String checkpoint) {
    if (index < 0 || index >= treeSize) {
      return Optional.of("inclusion proof index " + index + " is outside the tree of size " + treeSize);
    }
    byte[] hash = leafHash(body);
    long fn = index;
    long sn = treeSize - 1;
    for (byte[] sibling : path) {
      if (sn == 0) {
        return Optional.of("inclusion proof is longer than the tree is deep");
      }
      if ((fn & 1) == 1 || fn == sn) {
        hash = nodeHash(sibling, hash);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        hash = nodeHash(hash, sibling);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0 || !Arrays.equals(hash, rootHash)) {
      return Optional.of("inclusion proof does not lead to the root hash");
    }
    return checkCheckpoint(logs, logId, treeSize, rootHash, checkpoint);
  }

  private static Optional<String> checkCheckpoint(TransparencyLogKeys logs, String logId, long treeSize, byte[] rootHash, String checkpoint) {
    int split = checkpoint.indexOf("\n\n");
    if (split < 0) {
      return Optional.of("checkpoint is not a signed note");
    }
    String signed = checkpoint.substring(0, split + 1);
    String[] lines = signed.split("\n");
    if (lines.length < 3) {
      return Optional.of("checkpoint has no origin, size and root hash");
    }
    if (!lines[1].equals(Long.toString(treeSize))) {
      return Optional.of("checkpoint is for tree size " + lines[1] + ", proof for " + treeSize);
    }
    if (!lines[2].equals(Base64.getEncoder().encodeToString(rootHash))) {
      return Optional.of("checkpoint names another root hash than the proof");
    }
    Optional<TransparencyLogKeys.LogKey> log = logs.find(logId);
    if (log.isEmpty()) {
      return Optional.of("entry is from log " + logId + ", which is not a trusted transparency log");
    }
    byte[] hint = HexFormat.of().parseHex(logId.substring(0, 8));
    for (String line : checkpoint.substring(split + 2).split("\n")) {
      if (!line.startsWith("\u2014 ")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(line.substring(space + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (signature.length > 4
          && Arrays.equals(Arrays.copyOf(signature, 4), hint)
          && log.get().verifies(signed.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(signature, 4, signature.length))) {
        return Optional.empty();
      }
    }
    return Optional.of("checkpoint is not signed by log " + logId);
  }

  private static byte[] leafHash(byte[] leaf) {
    var digest = dev.releasegate.base.Digests.sha256();
    digest.update((byte) 0);
    return digest.digest(leaf);
  }

  private static byte[] nodeHash(byte[] left, byte[] right) {
    var digest = dev.releasegate.base.Digests.sha256();
    digest.update((byte) 1);
    digest.update(left);
    return digest.digest(right);
  }
}
