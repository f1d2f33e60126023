package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.Messages;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.StageKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Verifies an evidence bundle offline. The signed verdict is the root of trust: it carries the run
 * record and the digest of every stage envelope, each envelope names its subject, and the record names
 * the digest of every artifact. {@code bundle.json} must equal the signed record, so nothing a reader
 * takes from the index is unsigned.
 */
public final class EvidenceVerifier {
  /** The stage type whose predicate the scan rules of a policy read. */
  private static final String SCAN_TYPE = "trivy";
  /** The reason the runner records for a stage skipped with --skip. */
  public static final String SKIPPED_ON_PURPOSE = "skipped with --skip";
  /** The reason the runner records for a publisher of a dry run. */
  public static final String NOT_RUN_IN_DRY_RUN = "not run: a dry run publishes nothing";
  private final EnvelopeVerifier trust;
  private final Map<String, String> predicateTypes;

  /**
   * @param predicateTypes the predicate type of each stage type known here: a statement of a known
   *     type must carry exactly its type's predicate (or a stage error)
   */
  public EvidenceVerifier(EnvelopeVerifier trust, Map<String, String> predicateTypes) {
    this.trust = trust;
    this.predicateTypes = Map.copyOf(predicateTypes);
  }

  /**
   * Verifies {@code bundle}.
   *
   * @throws InvalidInputException when the folder is not an evidence bundle at all
   */
  public EvidenceReport verify(Path bundle, EvidencePolicy policy) {
    VerificationPass check = new VerificationPass(bundle);
    ObjectNode index = readIndex(bundle);
    RunRecord run = check.run(index);
    if (run != null) {
      check.layout(index, run);
      check.verdict(index, run);
      check.stages(run);
      check.consistency(run);
    }
    List<String> violations = run == null ? List.of() : policyViolations(bundle, run, policy, java.time.Instant.now());
    return new EvidenceReport(
        bundle,
        Optional.ofNullable(run).map(RunRecord::status),
        Optional.ofNullable(run).flatMap(RunRecord::reason),
        Optional.ofNullable(run).flatMap(RunRecord::image).map(Object::toString),
        Optional.ofNullable(run).map(record -> record.git().commit()),
        check.problems,
        violations);
  }

  private static ObjectNode readIndex(Path bundle) {
    if (!Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(bundle + " is not a folder; pass the evidence bundle folder");
    }
    Path file = bundle.resolve(BundleLayout.INDEX);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(bundle + " is not an evidence bundle: it has no " + BundleLayout.INDEX);
    }
    JsonNode node;
    try {
      node = Json.parse(BoundedFiles.read(file, BundleLayout.MAX_INDEX_BYTES));
    } catch (BoundedFiles.TooLargeException e) {
      throw new InvalidInputException(e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException(
          bundle + " is not an evidence bundle: " + BundleLayout.INDEX + " is not valid JSON (" + Messages.firstLine(e) + ")");
    }
    if (!node.isObject()) {
      throw new InvalidInputException(bundle + " is not an evidence bundle: " + BundleLayout.INDEX + " is not an object");
    }
    JsonNode version = node.get("formatVersion");
    if (version == null || !version.isInt() || version.intValue() != BundleLayout.FORMAT_VERSION) {
      throw new InvalidInputException(
          bundle + ": unsupported evidence format " + version + "; this releasegate reads format "
              + BundleLayout.FORMAT_VERSION);
    }
    return (ObjectNode) node;
  }

  private static List<String> policyViolations(Path bundle, RunRecord run, EvidencePolicy policy, java.time.Instant now) {
    List<String> violations = new ArrayList<>();
    if (policy.maxScanDbAgeHours().isPresent() || policy.minWaiverValidityDays().isPresent()) {
      violations.addAll(scanViolations(bundle, run, policy, now));
    }
    for (EvidencePolicy.Requirement required : policy.requirePassed()) {
      boolean passed = run.stages().stream().anyMatch(stage -> stage.type().equals(required.type())
          && required.name().map(stage.name()::equals).orElse(true) && stage.status() == StageStatus.PASSED);
      if (!passed) {
        violations.add("policy: " + required + " must have run and passed");
      }
    }
    if (policy.requireIsolation() && !run.isolation().equals(RunRecord.ISOLATED)) {
      violations.add("policy: the project's commands ran without isolation from the release's secrets (isolation: " + run.isolation() + ")");
    }
    if (!policy.allowDirty() && run.git().dirty()) {
      violations.add("policy: released from a dirty work tree (" + String.join(", ", run.git().dirtyPaths()) + ")");
    }
    return violations;
  }

  /** The policy's demands on the passed trivy scans, as of {@code now}: how old their DB is, how long their waivers hold. */
  private static List<String> scanViolations(Path bundle, RunRecord run, EvidencePolicy policy, java.time.Instant now) {
    List<String> violations = new ArrayList<>();
    List<StageEntry> scans = run.stages().stream()
        .filter(stage -> stage.type().equals(SCAN_TYPE) && stage.status() == StageStatus.PASSED && stage.statement().isPresent()).toList();
    if (scans.isEmpty()) {
      violations.add("policy: maxScanDbAgeHours and minWaiverValidityDays need a passed " + SCAN_TYPE + " stage; there is none");
      return violations;
    }
    java.time.LocalDate today = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
    for (StageEntry scan : scans) {
      JsonNode result;
      try {
        JsonNode statement = Json.parse(DsseEnvelope.parse(BoundedFiles.read(bundle.resolve(scan.statement().get()), BundleLayout.MAX_STATEMENT_BYTES))
            .payload());
        result = statement.path("predicate").path("scanner");
        if (policy.maxScanDbAgeHours().isPresent()) {
          java.time.Instant updated = java.time.Instant.parse(result.at("/db/updatedAt").asText());
          long hours = java.time.Duration.between(updated, now).toHours();
          if (hours > policy.maxScanDbAgeHours().get()) {
            violations.add("policy: scan '" + scan.name() + "' used a vulnerability DB updated " + updated + ", " + hours
                + " h ago; maxScanDbAgeHours is " + policy.maxScanDbAgeHours().get());
          }
        }
        if (policy.minWaiverValidityDays().isPresent()) {
          java.time.LocalDate needed = today.plusDays(policy.minWaiverValidityDays().get());
          for (JsonNode waiver : result.at("/result/waivers/applied")) {
            java.time.LocalDate expires = java.time.LocalDate.parse(waiver.path("expires").asText());
            if (expires.isBefore(needed)) {
              violations.add("policy: scan '" + scan.name() + "' applied the waiver for " + waiver.path("id").asText() + " that "
                  + (expires.isBefore(today) ? "expired" : "expires") + " on " + expires + "; minWaiverValidityDays is "
                  + policy.minWaiverValidityDays().get());
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        violations.add("policy: cannot read scan '" + scan.name() + "': " + Messages.firstLine(e));
      }
    }
    return violations;
  }

  /** One verification pass; collects every problem instead of stopping at the first. */
  private final class VerificationPass {
    private final Path root;
    private final List<String> problems = new ArrayList<>();

    VerificationPass(Path root) {
      this.root = root;
    }

    private void problem(String file, String check, String message) {
      problems.add(file + ": " + check + ": " + message);
    }

    RunRecord run(ObjectNode index) {
      try {
        byte[] bytes = BoundedFiles.read(root.resolve(BundleLayout.INDEX), BundleLayout.MAX_INDEX_BYTES);
        if (!Arrays.equals(bytes, Json.pretty(index))) {
          problem(BundleLayout.INDEX, "canonical form", "the file is not in the form releasegate writes (edited?)");
        }
        return RunRecord.fromJson(runPart(index));
      } catch (IOException e) {
        problem(BundleLayout.INDEX, "structure", Messages.firstLine(e));
        return null;
      }
    }

    /**
     * Every path the index names stays inside the bundle, and every file in the bundle is named. The
     * signer entry is not signed, so it must say exactly what the trust says: a bundle cannot claim to
     * be keyless (or name another key) to change how it is verified.
     */
    void layout(ObjectNode index, RunRecord run) {
      Set<String> expected = new HashSet<>();
      expected.add(BundleLayout.INDEX);
      JsonNode signer = index.path("signer");
      boolean keyless = trust.keyless();
      String publicKey = keyless ? BundleLayout.SIGNER_CERTIFICATE : BundleLayout.SIGNER_PUBLIC_KEY;
      ObjectNode expectedSigner = Json.object().put("keyid", signer.path("keyid").asText(""));
      if (keyless) {
        expectedSigner.put("mode", "keyless").put("certificate", publicKey);
      } else {
        expectedSigner.put("publicKey", publicKey);
      }
      if (!expectedSigner.equals(signer)) {
        problem(BundleLayout.INDEX, "signer", "the signer entry must be " + new String(Json.compact(expectedSigner), StandardCharsets.UTF_8) + " for "
            + (keyless ? "keyless" : "key") + " verification");
      }
      expected.add(publicKey);
      if (keyless) {
        expected.add(BundleLayout.sigstoreBundlePath(Verdict.STATEMENT_PATH));
        for (StageEntry stage : run.stages()) {
          stage.statement().filter(path -> path.endsWith(".dsse.json")).ifPresent(path -> expected.add(BundleLayout.sigstoreBundlePath(path)));
        }
      }
      String verdictPath = index.path("verdict").path("statement").asText("");
      if (!Verdict.STATEMENT_PATH.equals(verdictPath)) {
        problem(BundleLayout.INDEX, "layout", "verdict must be at " + Verdict.STATEMENT_PATH + ", not '" + verdictPath + "'");
      }
      expected.add(Verdict.STATEMENT_PATH);
      for (int i = 0; i < run.stages().size(); i++) {
        StageEntry stage = run.stages().get(i);
        if (stage.statement().isPresent()) {
          String path = stage.statement().get();
          String wanted = safeStatementPath(i + 1, stage.name());
          if (!path.equals(wanted)) {
            problem(BundleLayout.INDEX, "layout", "stage '" + stage.name() + "' statement must be " + wanted + ", not '" + path + "'");
          }
          requireInside(path, BundleLayout.INDEX);
          expected.add(path);
        }
        for (Artifact artifact : stage.artifacts()) {
          if (!artifact.path().startsWith(BundleLayout.artifactFolder(stage.name()) + "/")) {
            problem(BundleLayout.INDEX, "layout", "artifact " + artifact.path() + " is not under " + BundleLayout.artifactFolder(stage.name()));
          }
          requireInside(artifact.path(), BundleLayout.INDEX);
          expected.add(artifact.path());
        }
      }
      for (Artifact report : run.reports()) {
        requireInside(report.path(), BundleLayout.INDEX);
        expected.add(report.path());
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path path : (Iterable<Path>) walk::iterator) {
          String relative = relative(path);
          if (Files.isSymbolicLink(path)) {
            problem(relative, "layout", "symbolic links are not allowed in a bundle");
          } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !expected.contains(relative)) {
            problem(relative, "layout", "file is not part of the signed record");
          } else if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            problem(relative, "layout", "not a regular file");
          }
        }
      } catch (IOException e) {
        problem(".", "layout", "cannot list the bundle: " + Messages.firstLine(e));
      }
      if (!keyless) {
        checkSignerKey(signer, publicKey);
      }
    }

    private void checkSignerKey(JsonNode signer, String publicKey) {
      String keyId = signer.path("keyid").asText("");
      trust.expectedKeyId()
          .filter(expected -> !expected.equals(keyId))
          .ifPresent(expected -> problem(BundleLayout.INDEX, "signer", "the bundle names signer " + keyId + ", verification used key " + expected));
      Optional<String> pem = trust.expectedPublicKeyPem();
      if (pem.isPresent()) {
        byte[] bytes = readSafely(publicKey, "signer", BundleLayout.MAX_KEY_BYTES);
        if (bytes != null && !Arrays.equals(bytes, pem.get().getBytes(StandardCharsets.UTF_8))) {
          problem(publicKey, "signer", "the key in the bundle is not the key used for verification");
        }
      }
    }

    void verdict(ObjectNode index, RunRecord run) {
      String path = Verdict.STATEMENT_PATH;
      String expectedDigest = index.path("verdict").path("sha256").asText("");
      ObjectNode statement = readStatement(path, expectedDigest, BundleLayout.INDEX);
      if (statement == null) {
        return;
      }
      if (!Verdict.PREDICATE_TYPE.equals(statement.path("predicateType").asText())) {
        problem(path, "predicate type", "expected " + Verdict.PREDICATE_TYPE);
        return;
      }
      JsonNode predicate = statement.get("predicate");
      if (!runPart(index).equals(predicate.get("run"))) {
        problem(BundleLayout.INDEX, "signed record", "differs from the run record signed in the verdict");
      }
      ArrayNode expectedSubjects = Json.array();
      run.image().ifPresent(image -> expectedSubjects.add(RunRecord.imageSubject(image)));
      expectedSubjects.add(run.gitSubject());
      if (!expectedSubjects.equals(statement.get("subject"))) {
        problem(path, "subject", "verdict subjects do not name the run's image digest and git commit");
      }
      ArrayNode inputs = Json.array();
      for (StageEntry stage : run.stages()) {
        if (stage.statement().isPresent()) {
          ObjectNode input = inputs.addObject().put("uri", stage.statement().get());
          input.putObject("digest").put("sha256", stage.sha256().get());
        }
      }
      if (!inputs.equals(predicate.get("inputAttestations"))) {
        problem(path, "input attestations", "do not list exactly the stage statements of bundle.json with their digests");
      }
      boolean released = run.status() == ReleaseStatus.RELEASED;
      if (!predicate.path("verificationResult").asText().equals(released ? "PASSED" : "FAILED")) {
        problem(path, "verdict", "verificationResult contradicts status " + run.status().id());
      }
      if (!Verdict.resourceUri(run).equals(predicate.path("resourceUri").asText())) {
        problem(path, "verdict", "resourceUri does not name the run's subject");
      }
    }

    void stages(RunRecord run) {
      for (StageEntry stage : run.stages()) {
        if (stage.statement().isPresent()) {
          String path = stage.statement().get();
          ObjectNode statement = readStatement(path, stage.sha256().get(), BundleLayout.INDEX);
          if (statement != null) {
            if (!stage.predicateType().get().equals(statement.path("predicateType").asText())) {
              problem(path, "predicate type", "statement says " + statement.path("predicateType").asText()
                  + ", bundle.json says " + stage.predicateType().get());
            }
            String ownType = predicateTypes.get(stage.type());
            String predicateType = statement.path("predicateType").asText();
            if (ownType != null && !predicateType.equals(ownType) && !predicateType.equals(Statements.STAGE_ERROR_PREDICATE)) {
              problem(path, "predicate type", "a " + stage.type() + " stage's statement is " + ownType + ", not " + predicateType);
            }
            outcome(path, stage, statement);
            subject(path, run, statement.get("subject"));
          }
        }
        for (Artifact artifact : stage.artifacts()) {
          checkArtifact(artifact);
        }
      }
      run.reports().forEach(this::checkArtifact);
    }

    /**
     * Once the run built an image, every statement names its digest (those signed before it, also the
     * commit it was built from); a run without an image speaks of the commit only.
     */
    private void subject(String path, RunRecord run, JsonNode subject) {
      ArrayNode git = Json.array().add(run.gitSubject());
      if (run.image().isEmpty()) {
        if (!git.equals(subject)) {
          problem(path, "subject", "must name the git commit " + run.git().commit() + " and nothing else");
        }
        return;
      }
      ObjectNode image = RunRecord.imageSubject(run.image().get());
      if (!subject.equals(Json.array().add(image)) && !subject.equals(Json.array().add(image).add(run.gitSubject()))) {
        problem(path, "subject", "must name the image " + run.image().get() + " (and at most its git commit)");
      }
    }

    /**
     * The signed statement and the run record tell the same outcome: a stage that passed or was rejected
     * has its type's statement; one that could not decide, or was cancelled, a stage-error statement
     * saying exactly that.
     */
    private void outcome(String path, StageEntry stage, ObjectNode statement) {
      boolean decided = stage.status() == StageStatus.PASSED || stage.failure().equals(Optional.of(FailureKind.REJECTED));
      boolean errorStatement = Statements.STAGE_ERROR_PREDICATE.equals(statement.path("predicateType").asText());
      if (decided == errorStatement) {
        problem(path, "outcome", "bundle.json says " + stage.status().id() + stage.failure().map(kind -> " (" + kind.id() + ")").orElse("")
            + ", the statement " + (errorStatement ? "says the stage did not decide" : "is a decision"));
        return;
      }
      if (errorStatement) {
        JsonNode predicate = statement.path("predicate");
        String failure = stage.failure().map(FailureKind::id).orElse("");
        if (!stage.status().id().equals(predicate.path("status").asText()) || !failure.equals(predicate.path("failure").asText(""))) {
          problem(path, "outcome", "the statement says " + predicate.path("status").asText("?") + " " + predicate.path("failure").asText("")
              + ", bundle.json says " + stage.status().id() + " " + failure);
        }
      }
    }

    private void checkArtifact(Artifact artifact) {
      if (!isInside(artifact.path())) {
        return;
      }
      Path file = root.resolve(artifact.path());
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        problem(artifact.path(), "artifact", "missing");
        return;
      }
      try {
        String actual = Digests.sha256Hex(file);
        if (!actual.equals(artifact.sha256()) || Files.size(file) != artifact.size()) {
          problem(artifact.path(), "digest", "sha256 " + actual + " does not match the signed " + artifact.sha256());
        }
      } catch (IOException e) {
        problem(artifact.path(), "artifact", "unreadable: " + Messages.firstLine(e));
      }
    }

    /**
     * Stage order and completeness, and a verdict that follows from the stage results: gates come
     * before publishers, no publisher ran unless every gate passed (or was skipped with --skip), none
     * ran in a dry run, and nothing was cancelled or left not run unless a stage failed.
     */
    void consistency(RunRecord run) {
      Set<String> names = new LinkedHashSet<>();
      StageEntry firstPublisher = null;
      StageEntry gateNotPassed = null;
      boolean anyFailed = run.stages().stream().anyMatch(stage -> stage.status() == StageStatus.FAILED);
      for (StageEntry stage : run.stages()) {
        if (!BundleLayout.STAGE_NAME.matcher(stage.name()).matches() || !names.add(stage.name())) {
          problem(BundleLayout.INDEX, "stages", "stage name '" + stage.name() + "' is invalid or repeated");
        }
        boolean ran = stage.status() != StageStatus.SKIPPED;
        if (ran != stage.statement().isPresent()) {
          problem(BundleLayout.INDEX, "stages", "stage '" + stage.name() + "' is " + stage.status().id()
              + (ran ? " but has no statement" : " but has a statement"));
        }
        boolean notRunInDryRun = stage.status() == StageStatus.SKIPPED && stage.reason().orElse("").equals(NOT_RUN_IN_DRY_RUN);
        if (run.dryRun() && stage.kind() == StageKind.PUBLISHER && ran) {
          problem(BundleLayout.INDEX, "stages", "publisher '" + stage.name() + "' ran in a dry run");
        }
        if (notRunInDryRun && !(run.dryRun() && stage.kind() == StageKind.PUBLISHER)) {
          problem(BundleLayout.INDEX, "stages", "stage '" + stage.name() + "' is recorded as held back by a dry run, but "
              + (run.dryRun() ? "it is a gate" : "the run is not a dry run"));
        }
        boolean skippedOnPurpose = stage.status() == StageStatus.SKIPPED
            && (stage.reason().orElse("").equals(SKIPPED_ON_PURPOSE) || notRunInDryRun);
        boolean stopped = stage.status() == StageStatus.CANCELLED || (stage.status() == StageStatus.SKIPPED && !skippedOnPurpose);
        if (stopped && !anyFailed) {
          problem(BundleLayout.INDEX, "stages", "stage '" + stage.name() + "' is " + stage.reason().orElse(stage.status().id())
              + ", but no stage failed");
        }
        if (stage.kind() == StageKind.PUBLISHER) {
          firstPublisher = firstPublisher == null ? stage : firstPublisher;
          if (ran && gateNotPassed != null) {
            problem(BundleLayout.INDEX, "stages", "publisher '" + stage.name() + "' ran although gate '" + gateNotPassed.name() + "' is "
                + gateNotPassed.status().id());
          }
        } else {
          if (firstPublisher != null) {
            problem(BundleLayout.INDEX, "stages", "gate '" + stage.name() + "' comes after publisher '" + firstPublisher.name() + "'");
          }
          if (stage.status() != StageStatus.PASSED && !skippedOnPurpose && gateNotPassed == null) {
            gateNotPassed = stage;
          }
        }
      }
      if (run.stages().isEmpty()) {
        problem(BundleLayout.INDEX, "stages", "no stages");
      }
      ReleaseStatus expected = RunRecord.statusOf(run.stages(), run.dryRun());
      if (run.status() != expected) {
        problem(BundleLayout.INDEX, "verdict", "status " + run.status().id() + " contradicts the stage results, which make it " + expected.id());
      }
      if (run.status() == ReleaseStatus.RELEASED && run.git().dirty() && !run.allowDirty()) {
        problem(BundleLayout.INDEX, "verdict", "released from a dirty work tree without allowDirty");
      }
    }

    /** Reads, digests, signature-checks and parses one envelope; null when any step fails. */
    private ObjectNode readStatement(String path, String expectedSha256, String indexFile) {
      if (!isInside(path)) {
        return null;
      }
      byte[] bytes = readSafely(path, "envelope", BundleLayout.MAX_STATEMENT_BYTES);
      if (bytes == null) {
        return null;
      }
      String actual = Digests.sha256Hex(bytes);
      if (!actual.equals(expectedSha256)) {
        problem(path, "digest", "sha256 " + actual + " does not match " + indexFile + " (" + expectedSha256 + ")");
        return null;
      }
      DsseEnvelope envelope;
      try {
        envelope = DsseEnvelope.parse(bytes);
      } catch (IOException e) {
        problem(path, "envelope", Messages.firstLine(e));
        return null;
      }
      if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
        problem(path, "envelope", "payloadType is " + envelope.payloadType() + ", expected " + Dsse.IN_TOTO_PAYLOAD_TYPE);
        return null;
      }
      Optional<String> signatureProblem = trust.check(root.resolve(path), envelope);
      if (signatureProblem.isPresent()) {
        problem(path, "signature", signatureProblem.get());
        return null;
      }
      try {
        return Statements.parse(envelope.payload());
      } catch (IOException e) {
        problem(path, "statement", Messages.firstLine(e));
        return null;
      }
    }

    /** The file's bytes, or null with a problem noted; a file over {@code max} is not a bundle's: exit 2. */
    private byte[] readSafely(String path, String check, long max) {
      if (!isInside(path)) {
        return null;
      }
      Path file = root.resolve(path);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        problem(path, check, "missing");
        return null;
      }
      try {
        return BoundedFiles.read(file, max);
      } catch (BoundedFiles.TooLargeException e) {
        throw new InvalidInputException(e.getMessage());
      } catch (IOException e) {
        problem(path, check, "unreadable: " + Messages.firstLine(e));
        return null;
      }
    }

    private void requireInside(String path, String namedIn) {
      if (!isInside(path)) {
        problem(namedIn, "path", "'" + path + "' escapes the bundle or passes through a link");
      }
    }

    /** Relative, normalized, no parent steps, and no symbolic link anywhere on the way. */
    private boolean isInside(String path) {
      if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
        return false;
      }
      for (String part : path.split("/", -1)) {
        if (part.isEmpty() || part.equals(".") || part.equals("..")) {
          return false;
        }
      }
      Path current = root;
      for (String part : path.split("/")) {
        current = current.resolve(part);
        if (Files.isSymbolicLink(current)) {
          return false;
        }
      }
      return true;
    }

    private String safeStatementPath(int position, String name) {
      try {
        return BundleLayout.statementPath(position, name);
      } catch (IllegalArgumentException e) {
        return "(invalid stage name or position)";
      }
    }

    private String relative(Path path) {
      return root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
    }
  }

  /** The index without the fields that only the index has: the run record the verdict signs. */
  public static ObjectNode runPart(ObjectNode index) {
    ObjectNode run = index.deepCopy();
    run.remove(List.of("formatVersion", "verdict", "signer"));
    return run;
  }
}
