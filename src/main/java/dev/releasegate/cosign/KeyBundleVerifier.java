package dev.releasegate.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.PublicKeys;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Verifies a Sigstore bundle signed with a plain ("managed") public key, which sigstore-java refuses
 * ("Plain public keys are not supported by this client"): a {@code messageSignature} over an artifact,
 * logged on Rekor v1 as a {@code hashedrekord} 0.0.1 entry.
 *
 * <p>Checks: the message digest is the artifact's SHA-256; the signature verifies with the key; and,
 * with transparency log keys given, the first log entry is about this digest, signature and key, its
 * inclusion promise (SET) verifies with the key of the log it names, valid at the integrated time, and
 * its inclusion proof, if present, leads to a root the log's signed checkpoint commits to. The
 * {@code publicKey.hint} is not checked: it is a hint for key lookup, not a claim. RFC 3161 timestamps
 * are not checked either (the SET already dates the signature). A DSSE bundle signed with a key is
 * checked by {@link KeyTrust#checkBundle} as the attestation layer cosign v2 would have written.
 */
public final class KeyBundleVerifier {
  private static final Set<String> MEDIA_TYPES = Set.of(
      "application/vnd.dev.sigstore.bundle+json;version=0.1",
      "application/vnd.dev.sigstore.bundle+json;version=0.2",
      "application/vnd.dev.sigstore.bundle+json;version=0.3",
      "application/vnd.dev.sigstore.bundle.v0.3+json");

  private final PublicKey key;
  private final Optional<TransparencyLogKeys> logs;

  private KeyBundleVerifier(PublicKey key, Optional<TransparencyLogKeys> logs) {
    this.key = key;
    this.logs = logs;
  }

  /** Trusts signatures by this ECDSA P-256 key; log entries are not checked. */
  public static KeyBundleVerifier forKey(PublicKey key) {
    PublicKeys.keyId(Objects.requireNonNull(key, "key")); // refuses anything but P-256 up front
    return new KeyBundleVerifier(key, Optional.empty());
  }

  /** Also requires a verified transparency log entry from one of these logs. */
  public KeyBundleVerifier withTransparencyLog(TransparencyLogKeys logKeys) {
    return new KeyBundleVerifier(key, Optional.of(Objects.requireNonNull(logKeys, "logKeys")));
  }

  public KeyBundleVerification verifyArtifact(byte[] artifact, byte[] bundleJson) {
    Objects.requireNonNull(artifact, "artifact");
    return verifyDigest(Digests.sha256().digest(artifact), bundleJson);
  }

  /** {@link #verifyArtifact} for an artifact of which only the SHA-256 is at hand, e.g. an image manifest's digest. */
  public KeyBundleVerification verifyDigest(byte[] artifactDigest, byte[] bundleJson) {
    Objects.requireNonNull(artifactDigest, "artifactDigest");
    Objects.requireNonNull(bundleJson, "bundleJson");
    if (artifactDigest.length != 32) {
      throw new IllegalArgumentException("a SHA-256 digest is 32 bytes, not " + artifactDigest.length);
    }
    JsonNode bundle;
    try {
      bundle = Json.parse(bundleJson);
    } catch (JsonProcessingException e) {
      return KeyBundleVerification.failed("bundle is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return KeyBundleVerification.failed("bundle is not valid JSON: " + e.getMessage());
    }
    String mediaType = bundle.path("mediaType").asText("");
    if (!MEDIA_TYPES.contains(mediaType)) {
      return KeyBundleVerification.failed("bundle media type \"" + mediaType + "\" is not a Sigstore bundle");
    }
    JsonNode material = bundle.path("verificationMaterial");
    if (!material.has("publicKey")) {
      return KeyBundleVerification.failed("bundle is signed with a certificate, not a public key: verify it keylessly");
    }
    JsonNode message = bundle.path("messageSignature");
    if (!message.isObject()) {
      return KeyBundleVerification.failed(bundle.has("dsseEnvelope")
          ? "DSSE bundles signed with a public key are not supported"
          : "bundle has no message signature");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(message.path("signature").asText(""));
      JsonNode messageDigest = message.path("messageDigest");
      if (!messageDigest.isMissingNode()) {
        if (!messageDigest.path("algorithm").asText("").equals("SHA2_256")) {
          return KeyBundleVerification.failed("bundle digest algorithm " + messageDigest.path("algorithm").asText("(none)") + " is not SHA2_256");
        }
        byte[] signed = Base64.getDecoder().decode(messageDigest.path("digest").asText(""));
        if (!Arrays.equals(signed, artifactDigest)) {
          return KeyBundleVerification.failed("bundle signs sha256:" + HexFormat.of().formatHex(signed)
              + ", artifact is sha256:" + HexFormat.of().formatHex(artifactDigest));
        }
      }
    } catch (IllegalArgumentException e) {
      return KeyBundleVerification.failed("bundle signature or digest is not base64");
    }
    if (!Ecdsa.verifyDigest(key, artifactDigest, signature)) {
      return KeyBundleVerification.failed("signature does not verify with key " + PublicKeys.keyId(key));
    }
    if (logs.isEmpty()) {
      return new KeyBundleVerification(Optional.empty(), OptionalLong.empty());
    }
    return checkLogEntry(material.path("tlogEntries"), artifactDigest, signature);
  }

  private KeyBundleVerification checkLogEntry(JsonNode entries, byte[] artifactDigest, byte[] signature) {
    if (!entries.isArray() || entries.isEmpty()) {
      return KeyBundleVerification.failed("bundle has no transparency log entry");
    }
    JsonNode entry = entries.get(0);
    String kind = entry.path("kindVersion").path("kind").asText("") + " " + entry.path("kindVersion").path("version").asText("");
    if (!kind.equals("hashedrekord 0.0.1")) {
      return KeyBundleVerification.failed("log entry is " + kind + ", expected hashedrekord 0.0.1");
    }
    String body = entry.path("canonicalizedBody").asText("");
    long integratedTime;
    long logIndex;
    String logId;
    byte[] set;
    try {
      integratedTime = Long.parseLong(entry.path("integratedTime").asText(""));
      logIndex = Long.parseLong(entry.path("logIndex").asText(""));
      logId = HexFormat.of().formatHex(Base64.getDecoder().decode(entry.path("logId").path("keyId").asText("")));
      String promise = entry.path("inclusionPromise").path("signedEntryTimestamp").asText("");
      if (promise.isEmpty()) {
        return KeyBundleVerification.failed("log entry has no inclusion promise (signed entry timestamp)");
      }
      set = Base64.getDecoder().decode(promise);
    } catch (NumberFormatException e) {
      return KeyBundleVerification.failed("log entry integratedTime and logIndex must be integers");
    } catch (IllegalArgumentException e) {
      return KeyBundleVerification.failed("log entry logId and signedEntryTimestamp must be base64");
    }
    Optional<String> problem = RekorChecks.checkHashedRekord(body, artifactDigest, signature, PublicKeys.der(key))
        .or(() -> RekorChecks.checkSet(logs.get(), set, body, integratedTime, logId, logIndex))
        .or(() -> inclusionProof(entry, body, logId));
    return problem.map(KeyBundleVerification::failed)
        .orElseGet(() -> new KeyBundleVerification(Optional.empty(), OptionalLong.of(integratedTime)));
  }

  private Optional<String> inclusionProof(JsonNode entry, String body, String logId) {
    JsonNode proof = entry.path("inclusionProof");
    if (proof.isMissingNode()) {
      return Optional.empty();
    }
    try {
      List<byte[]> hashes = new ArrayList<>();
      for (JsonNode hash : proof.path("hashes")) {
        hashes.add(Base64.getDecoder().decode(hash.asText()));
      }
      return RekorChecks.checkInclusionProof(
          logs.get(),
          logId,
          Base64.getDecoder().decode(body),
          Long.parseLong(proof.path("logIndex").asText("")),
          Long.parseLong(proof.path("treeSize").asText("")),
          Base64.getDecoder().decode(proof.path("rootHash").asText("")),
          hashes,
          proof.path("checkpoint").path("envelope").asText(""));
    } catch (IllegalArgumentException e) {
      return Optional.of("inclusion proof fields are malformed");
    }
  }
}
