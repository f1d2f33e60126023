package dev.releasegate.cosign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.Dsse;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.Verdict;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the layers of an image's {@code .att} manifest, offline, like {@code cosign verify-attestation}:
 * each layer is a DSSE envelope with a signature (over the DSSE PAE) the {@link SignatureTrust} accepts,
 * and whose in-toto statement names the image digest among its subjects ({@code sha256} digest).
 * Statement v0.1, which cosign still writes, and v1 are read.
 *
 * <p>A verification summary (releasegate's verdict) counts only when it says PASSED about this digest.
 *
 * <p>The {@code predicateType} annotation cosign puts beside each layer is a hint for readers that do not
 * open the envelope; when present it must agree with the signed statement, so that a listing by
 * annotation cannot be made to lie about what was verified.
 */
public final class AttestationVerifier {
  private static final Set<String> STATEMENT_TYPES =
      Set.of("https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1");

  private final SignatureTrust trust;

  private AttestationVerifier(SignatureTrust trust) {
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  public static AttestationVerifier trusting(SignatureTrust trust) {
    return new AttestationVerifier(trust);
  }

  /** Trusts envelopes signed by any of these ECDSA P-256 keys. */
  public static AttestationVerifier forKeys(PublicKey... keys) {
    return new AttestationVerifier(KeyTrust.of(keys));
  }

  /**
   * Checks every layer.
   *
   * @param imageDigest the image manifest digest, {@code sha256:…}
   * @param layers the {@code .att} layers with their blobs, in manifest order; empty if there is no tag
   * @param requiredPredicateTypes predicate types that at least one verified attestation must have
   */
  public AttestationVerification verify(String imageDigest, List<CosignLayer> layers, Set<String> requiredPredicateTypes) {
    Objects.requireNonNull(imageDigest, "imageDigest");
    if (!LayerDescriptor.SHA256_DIGEST.matcher(imageDigest).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + imageDigest);
    }
    List<AttestationVerification.AttestationCheck> checks = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      checks.add(check(i + 1, imageDigest, layers.get(i)));
    }
    return new AttestationVerification(imageDigest, checks, requiredPredicateTypes);
  }

  private AttestationVerification.AttestationCheck check(int index, String imageDigest, CosignLayer layer) {
    LayerDescriptor descriptor = layer.descriptor();
    if (!descriptor.mediaType().equals(CosignLayer.DSSE_MEDIA_TYPE)) {
      return failed(index, "media type " + descriptor.mediaType() + " is not " + CosignLayer.DSSE_MEDIA_TYPE);
    }
    byte[] blob = layer.blob();
    String blobDigest = "sha256:" + Digests.sha256Hex(blob);
    if (!blobDigest.equals(descriptor.digest())) {
      return failed(index, "envelope digest " + blobDigest + " does not match layer digest " + descriptor.digest());
    }
    if (blob.length != descriptor.size()) {
      return failed(index, "envelope is " + blob.length + " bytes, layer size is " + descriptor.size());
    }
    DsseEnvelope envelope;
    try {
      envelope = DsseEnvelope.parse(blob);
    } catch (JsonProcessingException e) {
      return failed(index, "envelope is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return failed(index, e.getMessage().startsWith("envelope") ? e.getMessage() : "envelope: " + e.getMessage());
    }
    return statement(index, imageDigest, envelope, descriptor.annotations(), trust.checkEnvelope(envelope, descriptor.annotations()));
  }

  /**
   * Checks an envelope whose signature has been checked ({@code signer}): the statement it holds must be
   * about the image, and agree with the layer's annotations.
   */
  static AttestationVerification.AttestationCheck statement(
      int index, String imageDigest, DsseEnvelope envelope, Map<String, String> annotations, SignatureTrust.Outcome signer) {
    if (!envelope.payloadType().equals(Dsse.IN_TOTO_PAYLOAD_TYPE)) {
      return failed(index, "envelope payload type " + envelope.payloadType() + " is not " + Dsse.IN_TOTO_PAYLOAD_TYPE);
    }
    if (!signer.passed()) {
      return failed(index, "envelope " + signer.problem().get());
    }
    JsonNode statement;
    try {
      statement = Json.parse(envelope.payload());
    } catch (IOException e) {
      return failed(index, "statement is not valid JSON");
    }
    String type = statement.path("_type").asText("");
    if (!STATEMENT_TYPES.contains(type)) {
      return failed(index, "statement _type \"" + type + "\" is not an in-toto statement");
    }
    JsonNode predicateType = statement.get("predicateType");
    if (predicateType == null || !predicateType.isTextual()) {
      return failed(index, "statement has no predicateType");
    }
    JsonNode subjects = statement.get("subject");
    if (subjects == null || !subjects.isArray() || subjects.isEmpty()) {
      return failed(index, "statement has no subject");
    }
    String hex = imageDigest.substring("sha256:".length());
    List<String> named = new ArrayList<>();
    boolean found = false;
    for (JsonNode subject : subjects) {
      String sha256 = subject.path("digest").path("sha256").asText("");
      named.add(sha256.isEmpty() ? "(no sha256)" : "sha256:" + sha256);
      found |= sha256.equals(hex);
    }
    if (!found) {
      return failed(index, "statement subjects name " + String.join(", ", named) + ", image is " + imageDigest);
    }
    if (predicateType.textValue().equals(Verdict.PREDICATE_TYPE)) {
      Optional<String> problem = verificationSummaryProblem(statement.path("predicate"), imageDigest);
      if (problem.isPresent()) {
        return failed(index, problem.get());
      }
    }
    String annotated = annotations.get(CosignLayer.PREDICATE_TYPE_ANNOTATION);
    if (annotated != null && !annotated.equals(predicateType.textValue())) {
      return failed(index, "predicateType annotation " + annotated + " does not match the statement's " + predicateType.textValue());
    }
    return new AttestationVerification.AttestationCheck(
        index, Optional.empty(), Optional.of(predicateType.textValue()), signer.signer());
  }

  /**
   * A verification summary counts only as the decision it records: PASSED, about this very digest. A
   * signed summary that says FAILED, or is about another image, proves nothing for this one.
   */
  static Optional<String> verificationSummaryProblem(JsonNode predicate, String imageDigest) {
    String result = predicate.path("verificationResult").asText("");
    if (!result.equals("PASSED")) {
      return Optional.of("verification summary says " + (result.isEmpty() ? "nothing" : result) + ", not PASSED");
    }
    String resource = predicate.path("resourceUri").asText("");
    if (!resource.endsWith("@" + imageDigest)) {
      return Optional.of("verification summary is about " + (resource.isEmpty() ? "no resource" : resource) + ", not " + imageDigest);
    }
    return Optional.empty();
  }

  private static AttestationVerification.AttestationCheck failed(int index, String problem) {
    return new AttestationVerification.AttestationCheck(index, Optional.of(problem), Optional.empty(), Optional.empty());
  }
}
