package dev.releasegate.api;

import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.report.StageReaders;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.spi.StageFactory;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The entry point for releases, evidence verification and keys. It only delegates, each call to the
 * class of this package that does it ({@code Releaser}, {@code ImageVerifier}, {@code TrustedEvidence},
 * {@code AttachedEvidence}, {@code PolicyFile}, {@code Promote}, {@code Environments}, {@code Preflight}),
 * so that what an embedder may call stays in one place.
 */
public final class Releasegate {
  private Releasegate() {}

  /**
   * Validates the pipeline and the project, then runs the release. A run that starts always ends with
   * a signed verdict in the evidence folder, whatever its status.
   *
   * @throws InvalidInputException before anything runs: bad pipeline, key, version, dirty tree, …
   * @throws EnvironmentException when the evidence cannot be written
   */
  public static ReleaseResult release(ReleaseRequest request, ReleaseListener listener) {
    return new Releaser(request, listener, Clock.systemUTC()).run();
  }

  /** Where a dry run keeps its image: an OCI image layout beside the evidence folder, named after it. */
  public static Path imageLayoutBeside(Path evidence) {
    return evidence.resolveSibling(evidence.getFileName() + "-image");
  }

  /**
   * Looks at everything a release of {@code project} needs without running one: the pipeline file,
   * git, the signing key, isolation, the registry (read access) and every stage's programs.
   */
  public static CheckReport check(Path project, Optional<Path> pipelineFile, Optional<String> image, Optional<Path> key, boolean keyless,
      boolean insecureRegistry, Map<String, String> environment) {
    if (keyless && key.isPresent()) {
      throw new InvalidInputException("sign with a key file or keylessly, not both");
    }
    try {
      return new Preflight(project, pipelineFile, image, key, keyless, insecureRegistry, environment).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while checking", e);
    }
  }

  /**
   * Promotes a released digest to an environment of a repository, after verifying it from its
   * registry alone: the signature, the verdict attestation (PASSED, this digest) and the evidence
   * under the request's policy. Nothing is copied or tagged unless all of it holds.
   *
   * @throws InvalidInputException for a reference without digest, a destination with a tag, or an
   *     environment name that is not a tag or names a version or commit
   * @throws EnvironmentException when a registry cannot be reached or refuses a write
   */
  public static PromotionResult promote(PromoteRequest request, Consumer<String> log) {
    return new Promote(request, log).run();
  }

  /**
   * Promotes again the release an environment held before the current one (or the named version or
   * digest it held once), through every check of {@link #promote}: an old release whose evidence no
   * longer meets the policy is refused, naming the rule.
   *
   * @throws InvalidInputException when the history has no such release to go back to
   */
  public static PromotionResult rollback(RollbackRequest request, Consumer<String> log) {
    return Environments.rollback(request, log);
  }

  /**
   * The promotions of {@code environment} in {@code repository}, read from the promotion attestations
   * of its images; only those signed as {@code promoters} says count.
   */
  public static EnvironmentHistory history(
      String repository, String environment, Trust promoters, boolean insecureRegistry, Map<String, String> variables, Consumer<String> log) {
    return Environments.history(repository, environment, promoters, insecureRegistry, variables, log);
  }

  /**
   * Verifies an evidence bundle against who should have signed it: every envelope's signature by the key,
   * or keylessly every envelope's Sigstore bundle, offline, for the identity.
   *
   * @throws InvalidInputException when the folder is not a bundle, or the key or trusted root cannot be read
   */
  public static EvidenceReport verifyEvidence(Path bundle, Trust trust, EvidencePolicy policy) {
    return new TrustedEvidence(trust).verify(bundle, policy);
  }

  /** {@link #verifyEvidence(Path, Trust, EvidencePolicy)} with a public key. */
  public static EvidenceReport verifyEvidence(Path bundle, Path publicKey, EvidencePolicy policy) {
    return verifyEvidence(bundle, new Trust.Key(publicKey), policy);
  }

  /**
   * Verifies the cosign signatures and attestations of {@code reference} ({@code repository@sha256:…})
   * in its registry, in both formats, reading everything afresh: what {@code cosign verify} and
   * {@code cosign verify-attestation} check, with a key or keylessly.
   *
   * @throws InvalidInputException for a reference without digest, an unreadable key or trusted root, or
   *     a Rekor key given for keyless trust
   * @throws EnvironmentException when the registry cannot be reached
   */
  public static ImageReport verifyImage(String reference, Trust trust, ImageVerification options) {
    return new ImageVerifier(trust, options).verify(reference);
  }

  /**
   * Downloads the evidence bundles attached to {@code reference} ({@code repository@sha256:…}) as
   * OCI referrers, each into a folder of its own, to be verified as folders.
   *
   * @throws InvalidInputException for a reference without digest
   * @throws EnvironmentException when the registry cannot be reached
   */
  public static RemoteEvidence fetchEvidence(String reference, boolean insecureRegistry, Map<String, String> environment, Consumer<String> log) {
    return AttachedEvidence.fetch(reference, insecureRegistry, environment, log);
  }

  /**
   * {@code report} with one more problem when its bundle is about another image than {@code digest}: an
   * authentic bundle found beside an image proves nothing about it unless it names that very digest.
   */
  public static EvidenceReport requireImage(EvidenceReport report, String digest) {
    return AttachedEvidence.requireImage(report, digest);
  }

  /**
   * Reads a policy file: {@code requirePassed}, {@code allowDirty}, {@code requireIsolation},
   * {@code maxScanDbAgeHours}, {@code minWaiverValidityDays} (each explained in {@code PolicyFile}).
   *
   * @throws InvalidInputException for a file that is not valid YAML, or a key that is unknown or wrong
   */
  public static EvidencePolicy readPolicy(Path file) {
    return PolicyFile.read(file);
  }

  /** Writes {@code prefix.key} (encrypted with {@code password}) and {@code prefix.pub}; returns the key id. */
  public static String generateKeyPair(Path prefix, char[] password) {
    KeyPair keyPair = CosignKeyFile.generate();
    CosignKeyFile.writeKeyPair(keyPair, password, prefix);
    return PublicKeys.keyId(keyPair.getPublic());
  }

  /** Every stage type on the class path. */
  public static List<StageType> stageTypes() {
    List<StageType> list = new ArrayList<>();
    for (StageFactory factory : StageTypes.load().all()) {
      var source = factory.getClass().getProtectionDomain().getCodeSource();
      String origin = source == null || source.getLocation() == null ? "built-in" : source.getLocation().getPath();
      list.add(new StageType(factory.type(), factory.kind().id(), factory.description(), factory.predicateType(), origin));
    }
    return list;
  }

  /** How each stage type on the class path shows its predicate in a report. */
  public static StageReaders stageReaders() {
    return StageReaders.of(StageTypes.load().all());
  }

  public static String version() {
    return dev.releasegate.ToolVersion.get();
  }
}
