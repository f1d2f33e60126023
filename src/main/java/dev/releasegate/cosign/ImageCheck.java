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
   * @param signers key ids (or certificate identities) of the signatures that verified, each once
   * @param predicateTypes predicate types of the attestations that verified
   * @param failures why the image does not verify; empty when it does
   * @param notes layers that did not verify although others did (another key, say)
   */
  public record Result(List<String> signers, SortedSet<String> predicateTypes, List<String> failures, List<String> notes) {
    public Result {
      // One key signs in both formats (legacy tag and Sigstore bundle): it is one signer.
      signers = signers.stream().distinct().toList();
      predicateTypes = new TreeSet<>(predicateTypes);
      failures = List.copyOf(failures);
      notes = List.copyOf(notes);
    }

    public boolean verified() {
      return failures.isEmpty();
    }
  }

  /**
   * {@code identity} is the repository the legacy signature payloads must name (the image's, unless
   * mirrored). Signatures and attestations count from either format: the legacy {@code .sig} and
   * {@code .att} tags, and Sigstore bundles referring to the digest (a cosign v3 bundle signature names
   * no repository, only the digest).
   */
  public static Result run(
      CosignRegistry registry, String identity, String digest, SignatureTrust trust, Set<String> requiredPredicateTypes)
      throws InterruptedException {
    List<String> failures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    List<String> signers = new ArrayList<>();
    SortedSet<String> predicateTypes = new TreeSet<>();
    AttestationVerifier attestationVerifier = AttestationVerifier.trusting(trust);

    // Sigstore bundles first: some are signatures, the rest attestations.
    List<String> bundleSignatureProblems = new ArrayList<>();
    List<String> attestationProblems = new ArrayList<>();
    int bundleAttestations = 0;
    try {
      List<SigstoreBundles.Found> bundles = registry.bundles(digest);
      List<CosignLayer> envelopes = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (SigstoreBundles.Found bundle : bundles) {
        String name = "Sigstore bundle " + bundle.manifest();
        if (bundle.envelope().isPresent()) {
          envelopes.add(bundle.envelope().get());
          names.add(name);
        } else {
          attestationProblems.add(name + ": " + bundle.problem().orElseThrow());
          bundleAttestations++;
        }
      }
      for (AttestationVerification.Check check : attestationVerifier.verify(digest, envelopes, Set.of()).checks()) {
        String name = names.get(check.layer() - 1);
        boolean signature = check.predicateType().map(SigstoreBundles.COSIGN_SIGN_PREDICATE::equals)
            .orElse(SigstoreBundles.COSIGN_SIGN_PREDICATE.equals(
                envelopes.get(check.layer() - 1).descriptor().annotations().get(CosignLayer.PREDICATE_TYPE_ANNOTATION)));
        if (signature) {
          check.signer().filter(signer -> check.passed()).ifPresentOrElse(signers::add,
              () -> bundleSignatureProblems.add(name + ": " + check.problem().orElse("not verified")));
        } else {
          bundleAttestations++;
          check.predicateType().filter(type -> check.passed()).ifPresentOrElse(predicateTypes::add,
              () -> attestationProblems.add(name + ": " + check.problem().orElse("not verified")));
        }
      }
    } catch (IOException e) {
      attestationProblems.add("Sigstore bundles referring to " + digest + ": " + e.getMessage());
    }

    try {
      List<CosignLayer> layers = registry.read(AttachmentKind.SIGNATURES, digest).map(CosignRegistry.Attached::layers).orElse(List.of());
      SignatureVerification signatures = ImageSignatureVerifier.trusting(trust).verify(identity, digest, layers);
      signatures.accepted().forEach(check -> signers.add(check.signer().orElse("?")));
      if (signers.isEmpty()) {
        failures.addAll(signatures.problems());
        failures.addAll(bundleSignatureProblems);
      } else {
        notes.addAll(layers.isEmpty() ? List.of() : signatures.problems());
        notes.addAll(bundleSignatureProblems);
      }
    } catch (IOException e) {
      (signers.isEmpty() ? failures : notes).add(AttachmentKind.SIGNATURES.tag(digest) + ": " + e.getMessage());
    }

    try {
      Optional<CosignRegistry.Attached> attached = registry.read(AttachmentKind.ATTESTATIONS, digest);
      List<CosignLayer> layers = attached.map(CosignRegistry.Attached::layers).orElse(List.of());
      if (attached.isPresent() || bundleAttestations > 0 || !requiredPredicateTypes.isEmpty()) {
        AttestationVerification legacy = attestationVerifier.verify(digest, layers, Set.of());
        predicateTypes.addAll(legacy.predicateTypes());
        List<String> problems = new ArrayList<>();
        legacy.checks().forEach(check -> check.problem().ifPresent(problem -> problems.add("attestation " + check.layer() + ": " + problem)));
        problems.addAll(attestationProblems);
        SortedSet<String> missing = new TreeSet<>(requiredPredicateTypes);
        missing.removeAll(predicateTypes);
        if (!predicateTypes.isEmpty() && missing.isEmpty()) {
          notes.addAll(problems);
        } else {
          if (layers.isEmpty() && bundleAttestations == 0) {
            failures.add("no attestations for " + digest);
          }
          failures.addAll(problems);
          missing.forEach(type -> failures.add("no verified attestation with predicate type " + type));
        }
      } else {
        notes.addAll(attestationProblems);
      }
    } catch (IOException e) {
      failures.add(AttachmentKind.ATTESTATIONS.tag(digest) + ": " + e.getMessage());
    }
    return new Result(signers, predicateTypes, failures, notes);
  }
}
