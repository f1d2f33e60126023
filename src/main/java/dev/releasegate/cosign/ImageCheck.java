package dev.releasegate.cosign;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Verifies what the registry holds for one image digest, as {@code cosign verify} and
 * {@code cosign verify-attestation} would: a signature by a trusted signer whose payload names the
 * image, and attestations by a trusted signer about the digest, with every required predicate type present.
 */
public final class ImageCheck {
  private ImageCheck() {}

  /**
   * The outcome.
   *
   * @param signers key ids (or certificate identities) of the signatures that verified
   * @param predicateTypes predicate types of the attestations that verified
   * @param failures why the image does not verify; empty when it does
   * @param notes layers that did not verify although others did (another key, say)
   */
  public record Result(List<String> signers, SortedSet<String> predicateTypes, List<String> failures, List<String> notes) {
    public Result {
      signers = List.copyOf(signers);
      predicateTypes = new TreeSet<>(predicateTypes);
      failures = List.copyOf(failures);
      notes = List.copyOf(notes);
    }

    public boolean verified() {
      return failures.isEmpty();
    }
  }

  /** {@code identity} is the repository the signature payloads must name (the image's, unless mirrored). */
  public static Result run(
      CosignRegistry registry, String identity, String digest, SignatureTrust trust, Set<String> requiredPredicateTypes)
      throws InterruptedException {
    List<String> failures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> signers = new ArrayList<>();
    SortedSet<String> predicateTypes = new TreeSet<>();
    try {
      List<CosignLayer> layers = registry.read(AttachmentKind.SIGNATURES, digest).map(CosignRegistry.Attached::layers).orElse(List.of());
      SignatureVerification signatures = ImageSignatureVerifier.trusting(trust).verify(identity, digest, layers);
      signatures.accepted().forEach(check -> signers.add(check.signer().orElse("?")));
      (signatures.verified() ? notes : failures).addAll(signatures.problems());
    } catch (IOException e) {
      failures.add(AttachmentKind.SIGNATURES.tag(digest) + ": " + e.getMessage());
    }
    try {
      Optional<CosignRegistry.Attached> attached = registry.read(AttachmentKind.ATTESTATIONS, digest);
      if (attached.isPresent() || !requiredPredicateTypes.isEmpty()) {
        AttestationVerification attestations = AttestationVerifier.trusting(trust)
            .verify(digest, attached.map(CosignRegistry.Attached::layers).orElse(List.of()), requiredPredicateTypes);
        predicateTypes.addAll(attestations.predicateTypes());
        (attestations.verified() ? notes : failures).addAll(attestations.problems());
      }
    } catch (IOException e) {
      failures.add(AttachmentKind.ATTESTATIONS.tag(digest) + ": " + e.getMessage());
    }
    return new Result(signers, predicateTypes, failures, notes);
  }
}
