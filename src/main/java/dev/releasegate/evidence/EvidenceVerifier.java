package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.spi.Artifact;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies an evidence bundle offline. The signed verdict is the root of trust: it carries the run
 * record and the digest of every stage envelope, each envelope names its subject, and the record names
 * the digest of every artifact. {@code bundle.json} must equal the signed record, so nothing a reader
 * takes from the index is unsigned. Each check notes its problems and verification goes on, so that
 * the report lists everything wrong with a bundle.
 */
public final class EvidenceVerifier {
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
    EvidenceIndex index = EvidenceIndex.read(bundle);
    Problems problems = new Problems();
    Optional<RunRecord> run = index.run(problems);
    run.ifPresent(record -> verifyRun(bundle, index, record, problems));
    List<String> violations = run.map(record -> PolicyViolations.of(bundle, record, policy, Instant.now())).orElse(List.of());
    return new EvidenceReport(
        bundle,
        run.map(RunRecord::status),
        run.flatMap(RunRecord::reason),
        run.flatMap(RunRecord::image).map(Object::toString),
        run.map(record -> record.git().commit()),
        problems.lines(),
        violations);
  }

  /** The checks of a readable run record, in the order the report lists their problems. */
  private void verifyRun(Path bundle, EvidenceIndex index, RunRecord run, Problems problems) {
    EvidenceFolder folder = new EvidenceFolder(bundle, problems);
    new FileLayout(folder, problems, trust.keyless()).check(index, run);
    if (!trust.keyless()) {
      new SignerKey(trust, folder, problems).check(index.signer());
    }
    StatementReader statements = new StatementReader(trust, folder, problems);
    new VerdictStatement(statements, problems).check(index, run);
    StageStatements stageStatements = new StageStatements(statements, problems, predicateTypes);
    ArtifactDigests artifacts = new ArtifactDigests(folder, problems);
    for (StageEntry stage : run.stages()) {
      stageStatements.check(run, stage);
      for (Artifact artifact : stage.artifacts()) {
        artifacts.check(artifact);
      }
    }
    run.reports().forEach(artifacts::check);
    new RunConsistency(problems).check(run);
  }

  /** The index without the fields that only the index has: the run record the verdict signs. */
  public static ObjectNode runPart(ObjectNode index) {
    return EvidenceIndex.runPart(index);
  }
}
