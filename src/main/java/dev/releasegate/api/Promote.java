package dev.releasegate.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.ci.CiDetector;
import dev.releasegate.cosign.KeyTrust;
import dev.releasegate.cosign.KeylessTrust;
import dev.releasegate.cosign.SignatureTrust;
import dev.releasegate.evidence.EnvelopeSigner;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.EvidenceVerifier;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.evidence.Verdict;
import dev.releasegate.promote.Promotion;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.sign.PublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code promote}: verifies a release from its registry alone (the signature, the verdict attestation
 * saying PASSED for this digest, and the evidence under the policy), and only then promotes it.
 */
final class Promote {
  private final PromoteRequest request;
  private final Consumer<String> log;
  private final List<RegistryWrite> writes = new ArrayList<>();

  Promote(PromoteRequest request, Consumer<String> log) {
    this.request = request;
    this.log = log;
  }

  PromotionResult run() {
    WrittenReference source = ImageVerifier.pinned(request.source());
    String digest = source.digest().orElseThrow();
    WrittenReference destination = WrittenReference.parse(request.destination());
    if (destination.tag().isPresent() || destination.digest().isPresent()) {
      throw new InvalidInputException("promote to a repository, not " + request.destination() + "; the environment names the tag");
    }
    Promotion.invalidEnvironment(request.environment(), List.of()).ifPresent(problem -> {
      throw new InvalidInputException(problem);
    });
    String shown = source.repository() + "@" + digest;
    String target = destination.repository() + ":" + request.environment();
    // The promoter's key is loaded first: a wrong password is said before minutes of verification.
    EnvelopeSigner signer = Signers.of(request.signing() instanceof PromoteRequest.Signing.Keyless,
        request.signing() instanceof PromoteRequest.Signing.Key key ? Optional.of(key.privateKey()) : Optional.empty(),
        Optional.empty(), request.variables());

    List<String> refusals = new ArrayList<>();
    List<Path> accepted = new ArrayList<>();
    Optional<RunRecord> release = Optional.empty();
    try (RemoteEvidence evidence = Releasegate.fetchEvidence(shown, request.insecureRegistry(), request.variables(), log)) {
      evidence.unreadable().forEach(problem -> refusals.add("evidence: " + problem));
      for (RemoteEvidence.Bundle bundle : evidence.bundles()) {
        EvidenceReport report = Releasegate.requireImage(verifyEvidence(bundle.folder()), digest);
        if (report.accepted()) {
          accepted.add(bundle.folder());
          release = release.or(() -> runRecord(bundle.folder()));
        } else {
          report.problems().forEach(problem -> refusals.add("evidence " + bundle.artifact() + ": " + problem));
          report.policyViolations().forEach(violation -> refusals.add("evidence " + bundle.artifact() + ": " + violation));
          if (report.authentic() && !report.status().equals(Optional.of(ReleaseStatus.RELEASED))) {
            refusals.add("evidence " + bundle.artifact() + ": the release was " + report.status().map(ReleaseStatus::id).orElse("not decided")
                + report.reason().map(reason -> ": " + reason).orElse(""));
          }
        }
      }
      if (evidence.none()) {
        refusals.add("evidence: none is attached to " + shown);
      }
      // The signature names the repository the release was made to, which the verified evidence says;
      // a promoted copy is read from elsewhere.
      Optional<String> signedIdentity = release.flatMap(RunRecord::image).map(ImageReference::repository);
      verifyImage(shown, signedIdentity).failures().forEach(failure -> refusals.add("image: " + failure));
      if (!refusals.isEmpty() || accepted.isEmpty()) {
        return new PromotionResult(false, shown, target, Optional.empty(), false,
            refusals.isEmpty() ? List.of("evidence: no bundle was accepted") : refusals, writes);
      }
      RunRecord run = release.orElseThrow();
      Promotion.invalidEnvironment(request.environment(), run.tags()).ifPresent(problem -> {
        throw new InvalidInputException(problem);
      });
      return promote(source, destination, digest, accepted, run, signer, shown, target);
    }
  }

  private PromotionResult promote(WrittenReference source, WrittenReference destination, String digest, List<Path> evidence, RunRecord run, EnvelopeSigner signer,
      String shown, String target) {
    RegistrySettings settings = new RegistrySettings(request.insecureRegistry(), request.variables(), log, writes::add);
    RegistryAccess from = RegistryAccess.open(source.repository(), settings);
    RegistryAccess to = RegistryAccess.open(destination.repository(), settings);
    ObjectNode facts = Json.object().put("version", run.version()).put("commit", run.git().commit()).put("runId", run.runId());
    Promotion.Request promotion = new Promotion.Request(digest, request.environment(), evidence, facts, policySha256(),
        CiDetector.detect(request.variables()).map(ci -> {
          ObjectNode node = Json.object().put("system", ci.system());
          ci.url().ifPresent(url -> node.put("url", url));
          return node;
        }),
        signer, request.signing() instanceof PromoteRequest.Signing.Keyless, request.variables(), Instant.now());
    Promotion.Outcome outcome;
    try {
      outcome = Promotion.run(from, to, promotion, log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while promoting " + shown, e);
    }
    if (outcome.movedBy().isPresent()) {
      return new PromotionResult(false, shown, target, outcome.previous(), false,
          List.of("another promotion moved " + target + " to " + outcome.movedBy().get() + " while this one ran; it stays there"), writes);
    }
    return new PromotionResult(true, shown, target, outcome.previous(), outcome.unchanged() && outcome.attestation().isEmpty(), List.of(), writes);
  }

  private ImageReport verifyImage(String shown, Optional<String> signedIdentity) {
    return Releasegate.verifyImage(shown, request.trust(), ImageVerification.of(request.variables()).requiring(Set.of(Verdict.PREDICATE_TYPE))
        .signedIdentity(signedIdentity).insecureRegistry(request.insecureRegistry()).log(log));
  }

  private EvidenceReport verifyEvidence(Path bundle) {
    return Releasegate.verifyEvidence(bundle, request.trust(), request.policy());
  }

  /** The cosign trust of a request's trust option. */
  static SignatureTrust signatureTrust(Trust trust) {
    if (trust instanceof Trust.Keyless keyless) {
      return KeylessTrust.fromTrustedRoot(keyless.trustedRoot(), keyless.identity());
    }
    return KeyTrust.of(PublicKeys.read(((Trust.Key) trust).publicKey()));
  }

  /** The run record of a bundle already verified. */
  private static Optional<RunRecord> runRecord(Path bundle) {
    try {
      ObjectNode index = (ObjectNode) Json.parse(Files.readAllBytes(bundle.resolve(EvidenceLayout.INDEX)));
      return Optional.of(RunRecord.fromJson(EvidenceVerifier.runPart(index)));
    } catch (IOException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private Optional<String> policySha256() {
    return request.policyFile().map(file -> {
      try {
        return Digests.sha256Hex(file);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read policy file " + file + ": " + e.getMessage());
      }
    });
  }
}
