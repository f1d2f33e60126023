package dev.releasegate.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The result of verifying an image's signatures and attestations in its registry.
 *
 * @param image {@code repository@digest}
 * @param accepted the signatures and attestations that verified, each with where it was found
 * @param failures why the image does not verify; empty when it does
 * @param notes signatures and attestations that did not verify although others did
 */
public record ImageReport(String image, List<Verified> accepted, List<String> failures, List<String> notes) {
  public ImageReport {
    Objects.requireNonNull(image, "image");
    accepted = List.copyOf(accepted);
    failures = List.copyOf(failures);
    notes = List.copyOf(notes);
  }

  /**
   * One signature or attestation that verified.
   *
   * @param predicateType the attestation's predicate type; empty for a signature
   * @param signer the key id, or (keyless) the certificate identity and issuer
   * @param format {@code legacy} for cosign's {@code .sig}/{@code .att} tags, {@code bundle} for a Sigstore bundle referrer
   * @param location the tag, or the referrer manifest's digest
   */
  public record Verified(Optional<String> predicateType, String signer, String format, String location) {
    public Verified {
      Objects.requireNonNull(predicateType, "predicateType");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(location, "location");
    }
  }

  public boolean verified() {
    return failures.isEmpty();
  }

  /** Key ids (or, keyless, certificate identities) of the signatures that verified, each once. */
  public List<String> signers() {
    return accepted.stream().filter(v -> v.predicateType().isEmpty()).map(Verified::signer).distinct().toList();
  }

  /** Predicate types of the attestations that verified. */
  public SortedSet<String> predicateTypes() {
    return new TreeSet<>(accepted.stream().flatMap(v -> v.predicateType().stream()).toList());
  }
}
