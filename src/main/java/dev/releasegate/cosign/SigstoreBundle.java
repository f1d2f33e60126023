package dev.releasegate.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.DsseEnvelope;
import java.io.IOException;
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
 * @param message its message signature; empty for a DSSE envelope
 * @param logEntry its first Rekor entry's inclusion promise, in the form of cosign's legacy annotation
 * @param predicateTypeHint cosign's annotation on the referrer manifest; {@code ""} when absent
 */
public record SigstoreBundle(
    byte[] json, boolean keyless, Optional<DsseEnvelope> envelope, Optional<MessageSignature> message,
    Optional<RekorBundle> logEntry, String predicateTypeHint) {
  public SigstoreBundle {
    json = json.clone();
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(logEntry, "logEntry");
    Objects.requireNonNull(predicateTypeHint, "predicateTypeHint");
    if (envelope.isPresent() == message.isPresent()) {
      throw new IllegalArgumentException("a bundle holds either a DSSE envelope or a message signature");
    }
  }

  @Override
  public byte[] json() {
    return json.clone();
  }

  /** A signature over the artifact of this SHA-256, not over a statement about it. */
  public record MessageSignature(String sha256Digest, byte[] signature) {
    public MessageSignature {
      Objects.requireNonNull(sha256Digest, "sha256Digest");
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }
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
    Optional<MessageSignature> message = Optional.empty();
    if (root.path("dsseEnvelope").isObject()) {
      try {
        envelope = Optional.of(DsseEnvelope.parse(Json.compact(root.get("dsseEnvelope"))));
      } catch (IOException e) {
        throw new IOException("its DSSE envelope: " + e.getMessage());
      }
    } else if (root.path("messageSignature").isObject()) {
      message = Optional.of(messageSignature(root.get("messageSignature")));
    } else {
      throw new IOException("the bundle has neither a DSSE envelope nor a message signature");
    }
    return new SigstoreBundle(json, keyless, envelope, message, logEntry(material.path("tlogEntries")), predicateTypeHint);
  }

  private static MessageSignature messageSignature(JsonNode node) throws IOException {
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
      return new MessageSignature("sha256:" + HexFormat.of().formatHex(digest), signature);
    } catch (IllegalArgumentException e) {
      throw new IOException("its message digest or signature is not base64");
    }
  }

  /** The first entry's promise; a bundle without one (Rekor v2, timestamps only) is left to the verifier. */
  private static Optional<RekorBundle> logEntry(JsonNode entries) {
    JsonNode entry = entries.path(0);
    String promise = entry.at("/inclusionPromise/signedEntryTimestamp").asText("");
    if (promise.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new RekorBundle(Base64.getDecoder().decode(promise), entry.path("canonicalizedBody").asText(""),
          Long.parseLong(entry.path("integratedTime").asText("")), Long.parseLong(entry.path("logIndex").asText("")),
          HexFormat.of().formatHex(Base64.getDecoder().decode(entry.at("/logId/keyId").asText("")))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
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
    if (message.isPresent()) {
      return Optional.of(message.get().sha256Digest());
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
