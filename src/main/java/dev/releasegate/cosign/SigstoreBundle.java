package dev.releasegate.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.DsseEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One Sigstore bundle v0.3 found as a referrer of an image, read far enough to say what it claims to
 * sign and how: with a public key (its hint) or a Fulcio certificate, as a DSSE envelope or as a message
 * signature over a digest. Nothing here is verified; {@link SignatureTrust#checkBundle} does that.
 *
 * @param json the bundle as stored, for verifiers that read it whole
 * @param keyless whether it carries a Fulcio certificate rather than a public key hint
 * @param envelope its DSSE envelope; empty for a message signature
 * @param messageDigest for a message signature, the digest it signs ({@code sha256:…}); empty for a DSSE envelope
 * @param logEntry its first Rekor entry's inclusion promise, in the form of cosign's legacy annotation
 * @param predicateTypeHint cosign's annotation on the referrer manifest; {@code ""} when absent
 */
public record SigstoreBundle(
    byte[] json, boolean keyless, Optional<DsseEnvelope> envelope, Optional<String> messageDigest,
    Optional<RekorBundle> logEntry, String predicateTypeHint) {
  public SigstoreBundle {
    json = json.clone();
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(messageDigest, "messageDigest");
    Objects.requireNonNull(logEntry, "logEntry");
    Objects.requireNonNull(predicateTypeHint, "predicateTypeHint");
    if (envelope.isPresent() == messageDigest.isPresent()) {
      throw new IllegalArgumentException("a bundle holds either a DSSE envelope or a message signature");
    }
  }

  @Override
  public byte[] json() {
    return json.clone();
  }

  /**
   * Reads a bundle's JSON.
   *
   * @throws IOException saying in a few words what is not a bundle releasegate reads
   */
  public static SigstoreBundle parse(byte[] json, String predicateTypeHint) throws IOException {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw new IOException("the bundle is not JSON");
    }
    String mediaType = root.path("mediaType").asText("");
    if (!mediaType.startsWith("application/vnd.dev.sigstore.bundle")) {
      throw new IOException("the bundle's media type is '" + mediaType + "', not a Sigstore bundle's");
    }
    JsonNode material = root.path("verificationMaterial");
    boolean keyless = material.has("certificate") || material.has("x509CertificateChain");
    if (!keyless && !material.path("publicKey").isObject()) {
      throw new IOException("the bundle has neither a certificate nor a public key hint");
    }
    Optional<DsseEnvelope> envelope = Optional.empty();
    Optional<String> messageDigest = Optional.empty();
    if (root.path("dsseEnvelope").isObject()) {
      try {
        envelope = Optional.of(DsseEnvelope.parse(Json.compact(root.get("dsseEnvelope"))));
      } catch (IOException e) {
        throw new IOException("its DSSE envelope: " + e.getMessage());
      }
    } else if (root.path("messageSignature").isObject()) {
      messageDigest = Optional.of(messageDigest(root.get("messageSignature")));
    } else {
      throw new IOException("the bundle has neither a DSSE envelope nor a message signature");
    }
    return new SigstoreBundle(json, keyless, envelope, messageDigest, logEntry(material.path("tlogEntries")), predicateTypeHint);
  }

  /** The digest a message signature signs; its signature is the verifiers' to read. */
  private static String messageDigest(JsonNode node) throws IOException {
    String algorithm = node.at("/messageDigest/algorithm").asText("");
    if (!algorithm.equals("SHA2_256")) {
      throw new IOException("its message digest is " + (algorithm.isEmpty() ? "missing" : algorithm) + ", not SHA2_256");
    }
    try {
      byte[] digest = Base64.getDecoder().decode(node.at("/messageDigest/digest").asText(""));
      byte[] signature = Base64.getDecoder().decode(node.path("signature").asText(""));
      if (digest.length != 32 || signature.length == 0) {
        throw new IOException("its message digest or signature is missing");
      }
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (IllegalArgumentException e) {
      throw new IOException("its message digest or signature is not base64");
    }
  }

  /**
   * The first entry's promise; a bundle without one (Rekor v2, timestamps only) is left to the verifier.
   * A promise that cannot be read refuses the bundle: it would otherwise go unchecked.
   */
  private static Optional<RekorBundle> logEntry(JsonNode entries) throws IOException {
    JsonNode entry = entries.path(0);
    String promise = entry.at("/inclusionPromise/signedEntryTimestamp").asText("");
    if (promise.isEmpty()) {
      return Optional.empty();
    }
    try {
      // The same fields as cosign's legacy annotation, read by its strict parser.
      ObjectNode annotation = Json.object().put("SignedEntryTimestamp", promise);
      annotation.putObject("Payload")
          .put("body", entry.path("canonicalizedBody").asText(""))
          .put("integratedTime", Long.parseLong(entry.path("integratedTime").asText("")))
          .put("logIndex", Long.parseLong(entry.path("logIndex").asText("")))
          .put("logID", HexFormat.of().formatHex(Base64.getDecoder().decode(entry.at("/logId/keyId").asText(""))));
      return Optional.of(RekorBundle.parse(new String(Json.compact(annotation), StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      throw new IOException("its log entry is malformed: " + e.getMessage());
    }
  }

  /** The in-toto statement's predicate type, when the envelope holds a readable one. */
  public Optional<String> predicateType() {
    return statement().map(statement -> statement.path("predicateType")).filter(JsonNode::isTextual).map(JsonNode::textValue);
  }

  /**
   * The digest the bundle claims to sign: the message digest, or a {@code sha256} subject of the
   * envelope's statement ({@code preferred} when it is one of them, else the first).
   */
  public Optional<String> signedDigest(String preferred) {
    if (messageDigest.isPresent()) {
      return messageDigest;
    }
    Optional<String> first = Optional.empty();
    for (JsonNode subject : statement().map(statement -> statement.path("subject")).orElse(Json.array())) {
      String hex = subject.path("digest").path("sha256").asText("");
      if (hex.matches("[0-9a-f]{64}")) {
        if (("sha256:" + hex).equals(preferred)) {
          return Optional.of(preferred);
        }
        first = first.or(() -> Optional.of("sha256:" + hex));
      }
    }
    return first;
  }

  private Optional<JsonNode> statement() {
    try {
      return envelope.isPresent() ? Optional.of(Json.parse(envelope.get().payload())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
