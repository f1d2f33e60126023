package dev.releasegate.cosign;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@link AttestationVerifier} found: one check per {@code .att} layer, and which required predicate
 * types no verified attestation carries.
 *
 * @param imageDigest the image manifest digest the attestations must be about
 * @param checks one per layer, in manifest order
 * @param required the predicate types that had to be present
 */
public record AttestationVerification(String imageDigest, List<AttestationCheck> checks, Set<String> required) {

  /**
   * The check of one layer of the {@code .att} manifest (or of one Sigstore bundle): one attestation,
   * and whether it counts.
   *
   * @param layer 1-based position in the manifest
   * @param problem why the layer does not count, empty when it does
   * @param predicateType the statement's predicate type, when the layer verified
   * @param signer the key id, or the certificate identity, that signed, when a signature verified
   */
  public record AttestationCheck(int layer, Optional<String> problem, Optional<String> predicateType, Optional<String> signer) {
    public AttestationCheck {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(predicateType, "predicateType");
      Objects.requireNonNull(signer, "signer");
    }

    public boolean passed() {
      return problem.isEmpty();
    }
  }

  public AttestationVerification {
    Objects.requireNonNull(imageDigest, "imageDigest");
    checks = List.copyOf(checks);
    required = Set.copyOf(required);
  }

  /** The predicate types of the attestations that verified. */
  public SortedSet<String> predicateTypes() {
    TreeSet<String> types = new TreeSet<>();
    checks.stream().filter(AttestationCheck::passed).forEach(check -> types.add(check.predicateType().orElseThrow()));
    return types;
  }

  /** Required predicate types without a verified attestation. */
  public SortedSet<String> missing() {
    TreeSet<String> missing = new TreeSet<>(required);
    missing.removeAll(predicateTypes());
    return missing;
  }

  /** At least one attestation verified, and every required predicate type is among the verified ones. */
  public boolean verified() {
    return checks.stream().anyMatch(AttestationCheck::passed) && missing().isEmpty();
  }

  /**
   * {@code no attestations for DIGEST} when there was no layer; else one line per failed layer,
   * {@code attestation N: why}, then {@code no verified attestation with predicate type T} per missing type.
   */
  public List<String> problems() {
    List<String> lines = new ArrayList<>();
    if (checks.isEmpty()) {
      lines.add("no attestations for " + imageDigest);
    }
    for (AttestationCheck check : checks) {
      check.problem().ifPresent(problem -> lines.add("attestation " + check.layer() + ": " + problem));
    }
    for (String type : missing()) {
      lines.add("no verified attestation with predicate type " + type);
    }
    return lines;
  }
}
