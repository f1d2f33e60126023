package dev.releasegate.cosign;

import dev.releasegate.evidence.DsseEnvelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Verifies what the registry holds for one image digest, as {@code cosign verify} and
 * {@code cosign verify-attestation} would: a signature by a trusted signer whose payload names the
 * image, and attestations by a trusted signer about the digest, with every required predicate type present.
 * Both formats count: the legacy {@code .sig} and {@code .att} tags, and Sigstore bundles referring to
 * the digest.
 */
public final class ImageCheck {
  private ImageCheck() {}

  /** Where a verified signature or attestation was found. */
  public enum Format {
    /** cosign's {@code sha256-<hex>.sig} or {@code .att} tag. */
    LEGACY,
    /** A Sigstore bundle, an OCI 1.1 referrer of the image. */
    BUNDLE
  }

  /**
   * One signature or attestation that verified.
   *
   * @param predicateType empty for a signature
   * @param signer the key id, or the certificate identity and issuer
   * @param format which format it came in
   * @param location the tag or the referrer manifest digest it was read from
   */
  public record Verified(Optional<String> predicateType, String signer, Format format, String location) {
    public Verified {
      Objects.requireNonNull(predicateType, "predicateType");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(location, "location");
    }
  }

  /**
   * The outcome.
   *
   * @param accepted every signature and attestation that verified, in the order they were read
   * @param failures why the image does not verify; empty when it does
   * @param notes signatures and attestations that did not verify although others did (another key, say)
   */
  public record Result(List<Verified> accepted, List<String> failures, List<String> notes) {
    public Result {
      accepted = List.copyOf(accepted);
      failures = List.copyOf(failures);
      notes = List.copyOf(notes);
    }

    /** The signers of the verified signatures, each once: one key may sign in both formats. */
    public List<String> signers() {
      return accepted.stream().filter(v -> v.predicateType().isEmpty()).map(Verified::signer).distinct().toList();
    }

    public SortedSet<String> predicateTypes() {
      return new TreeSet<>(accepted.stream().flatMap(v -> v.predicateType().stream()).toList());
    }

    public boolean verified() {
      return failures.isEmpty();
    }
  }

  /**
   * {@code identity} is the repository the legacy signature payloads must name (the image's, unless
   * mirrored); a Sigstore bundle names no repository, only the digest.
   */
  public static Result run(
      CosignRegistry registry, String identity, String digest, SignatureTrust trust, Set<String> requiredPredicateTypes)
      throws InterruptedException {
    Tally tally = new Tally();
    readBundles(registry, digest, trust, tally);
    readLegacySignatures(registry, identity, digest, trust, tally);
    readLegacyAttestations(registry, digest, trust, requiredPredicateTypes, tally);
    return new Result(tally.accepted, tally.failures, tally.notes);
  }

  /** What has been found so far; problems are held until it is known whether something else verified. */
  private static final class Tally {
    final List<Verified> accepted = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final List<String> bundleSignatureProblems = new ArrayList<>();
    final List<String> bundleAttestationProblems = new ArrayList<>();
    /** Bundles that are not signatures: verified or not, they are attestations that were found. */
    int bundleAttestations;

    boolean signed() {
      return accepted.stream().anyMatch(v -> v.predicateType().isEmpty());
    }
  }

  private static void readBundles(CosignRegistry registry, String digest, SignatureTrust trust, Tally tally) throws InterruptedException {
    List<SigstoreBundles.Found> bundles;
    try {
      bundles = registry.bundles(digest);
    } catch (IOException e) {
      tally.bundleAttestationProblems.add("Sigstore bundles referring to " + digest + ": " + e.getMessage());
      return;
    }
    for (SigstoreBundles.Found found : bundles) {
      String name = "Sigstore bundle " + found.manifest();
      if (found.bundle().isEmpty()) {
        tally.bundleAttestationProblems.add(name + ": " + found.problem().orElseThrow());
        tally.bundleAttestations++;
        continue;
      }
      SigstoreBundle bundle = found.bundle().get();
      AttestationVerification.AttestationCheck check = check(digest, bundle, trust);
      boolean signature = bundle.messageDigest().isPresent()
          || check.predicateType().or(bundle::predicateType).orElse(bundle.predicateTypeHint()).equals(SigstoreBundles.COSIGN_SIGN_PREDICATE);
      tally.bundleAttestations += signature ? 0 : 1;
      if (check.passed()) {
        tally.accepted.add(new Verified(signature ? Optional.empty() : check.predicateType(), check.signer().orElseThrow(), Format.BUNDLE,
            found.manifest()));
      } else {
        (signature ? tally.bundleSignatureProblems : tally.bundleAttestationProblems).add(name + ": " + check.problem().orElseThrow());
      }
    }
  }

  /**
   * A bundle's signature is checked over what it claims to sign before that claim is compared with the
   * image, so that a genuine bundle of another artifact is refused for naming it, not for its signature.
   */
  private static AttestationVerification.AttestationCheck check(String imageDigest, SigstoreBundle bundle, SignatureTrust trust) {
    String signed = bundle.signedDigest(imageDigest).orElse(imageDigest);
    SignatureTrust.Outcome signer = trust.checkBundle(bundle, signed);
    if (bundle.envelope().isPresent()) {
      Map<String, String> hint = bundle.predicateTypeHint().isEmpty()
          ? Map.of()
          : Map.of(CosignLayer.PREDICATE_TYPE_ANNOTATION, bundle.predicateTypeHint());
      DsseEnvelope envelope = bundle.envelope().get();
      return AttestationVerifier.statement(1, imageDigest, envelope, hint, signer);
    }
    Optional<String> problem = signer.problem()
        .or(() -> signed.equals(imageDigest) ? Optional.empty() : Optional.of("signs " + signed + ", not the image " + imageDigest));
    return new AttestationVerification.AttestationCheck(1, problem, Optional.empty(), problem.isPresent() ? Optional.empty() : signer.signer());
  }

  private static void readLegacySignatures(CosignRegistry registry, String identity, String digest, SignatureTrust trust, Tally tally)
      throws InterruptedException {
    String tag = AttachmentKind.SIGNATURES.tag(digest);
    try {
      List<CosignLayer> layers = registry.read(AttachmentKind.SIGNATURES, digest).map(CosignRegistry.Attached::layers).orElse(List.of());
      SignatureVerification signatures = ImageSignatureVerifier.trusting(trust).verify(identity, digest, layers);
      signatures.accepted().forEach(check -> tally.accepted.add(new Verified(Optional.empty(), check.signer().orElse("?"), Format.LEGACY, tag)));
      if (tally.signed()) {
        tally.notes.addAll(layers.isEmpty() ? List.of() : signatures.problems());
        tally.notes.addAll(tally.bundleSignatureProblems);
      } else {
        tally.failures.addAll(signatures.problems());
        tally.failures.addAll(tally.bundleSignatureProblems);
      }
    } catch (IOException e) {
      (tally.signed() ? tally.notes : tally.failures).add(tag + ": " + e.getMessage());
    }
  }

  private static void readLegacyAttestations(
      CosignRegistry registry, String digest, SignatureTrust trust, Set<String> requiredPredicateTypes, Tally tally)
      throws InterruptedException {
    String tag = AttachmentKind.ATTESTATIONS.tag(digest);
    Optional<CosignRegistry.Attached> attached;
    try {
      attached = registry.read(AttachmentKind.ATTESTATIONS, digest);
    } catch (IOException e) {
      tally.failures.add(tag + ": " + e.getMessage());
      return;
    }
    if (attached.isEmpty() && tally.bundleAttestations == 0 && requiredPredicateTypes.isEmpty()) {
      tally.notes.addAll(tally.bundleAttestationProblems);
      return;
    }
    List<CosignLayer> layers = attached.map(CosignRegistry.Attached::layers).orElse(List.of());
    List<String> problems = new ArrayList<>();
    for (AttestationVerification.AttestationCheck check : AttestationVerifier.trusting(trust).verify(digest, layers, Set.of()).checks()) {
      if (check.passed()) {
        tally.accepted.add(new Verified(check.predicateType(), check.signer().orElse("?"), Format.LEGACY, tag));
      } else {
        problems.add("attestation " + check.layer() + ": " + check.problem().orElseThrow());
      }
    }
    problems.addAll(tally.bundleAttestationProblems);
    SortedSet<String> attested = new TreeSet<>(tally.accepted.stream().flatMap(v -> v.predicateType().stream()).toList());
    SortedSet<String> missing = new TreeSet<>(requiredPredicateTypes);
    missing.removeAll(attested);
    if (!attested.isEmpty() && missing.isEmpty()) {
      tally.notes.addAll(problems);
      return;
    }
    if (layers.isEmpty() && tally.bundleAttestations == 0) {
      tally.failures.add("no attestations for " + digest);
    }
    tally.failures.addAll(problems);
    missing.forEach(type -> tally.failures.add("no verified attestation with predicate type " + type));
  }
}
