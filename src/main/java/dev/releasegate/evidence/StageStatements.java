package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.StageStatus;
import java.util.Map;
import java.util.Optional;

/**
 * Each stage's signed statement agrees with the index: the predicate type of the stage's type, the
 * outcome the index records, and the run's subjects.
 */
final class StageStatements {
  private final StatementReader statements;
  private final Problems problems;
  private final Map<String, String> predicateTypes;

  /**
   * @param predicateTypes the predicate type of each stage type known here: a statement of a known
   *     type must carry exactly its type's predicate (or a stage error)
   */
  StageStatements(StatementReader statements, Problems problems, Map<String, String> predicateTypes) {
    this.statements = statements;
    this.problems = problems;
    this.predicateTypes = Map.copyOf(predicateTypes);
  }

  /** Checks the statement of {@code stage}, if it has one. */
  void check(RunRecord run, StageEntry stage) {
    if (stage.statement().isEmpty()) {
      return;
    }
    String path = stage.statement().get();
    Optional<ObjectNode> read = statements.read(path, stage.sha256().get());
    if (read.isEmpty()) {
      return;
    }
    ObjectNode statement = read.get();
    String predicateType = statement.path("predicateType").asText();
    if (!stage.predicateType().get().equals(predicateType)) {
      problems.add(path, "predicate type", "statement says " + predicateType + ", bundle.json says " + stage.predicateType().get());
    }
    String ownType = predicateTypes.get(stage.type());
    if (ownType != null && !predicateType.equals(ownType) && !predicateType.equals(Statements.STAGE_ERROR_PREDICATE)) {
      problems.add(path, "predicate type", "a " + stage.type() + " stage's statement is " + ownType + ", not " + predicateType);
    }
    outcome(path, stage, statement);
    subject(path, run, statement.get("subject"));
  }

  /**
   * Once the run built an image, every statement names its digest (those signed before it, also the
   * commit it was built from); a run without an image speaks of the commit only.
   */
  private void subject(String path, RunRecord run, JsonNode subject) {
    ArrayNode git = Json.array().add(run.gitSubject());
    if (run.image().isEmpty()) {
      if (!git.equals(subject)) {
        problems.add(path, "subject", "must name the git commit " + run.git().commit() + " and nothing else");
      }
      return;
    }
    ObjectNode image = RunRecord.imageSubject(run.image().get());
    if (!subject.equals(Json.array().add(image)) && !subject.equals(Json.array().add(image).add(run.gitSubject()))) {
      problems.add(path, "subject", "must name the image " + run.image().get() + " (and at most its git commit)");
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
      problems.add(path, "outcome", "bundle.json says " + stage.status().id() + stage.failure().map(kind -> " (" + kind.id() + ")").orElse("")
          + ", the statement " + (errorStatement ? "says the stage did not decide" : "is a decision"));
      return;
    }
    if (errorStatement) {
      JsonNode predicate = statement.path("predicate");
      String failure = stage.failure().map(FailureKind::id).orElse("");
      if (!stage.status().id().equals(predicate.path("status").asText()) || !failure.equals(predicate.path("failure").asText(""))) {
        problems.add(path, "outcome", "the statement says " + predicate.path("status").asText("?") + " " + predicate.path("failure").asText("")
            + ", bundle.json says " + stage.status().id() + " " + failure);
      }
    }
  }
}
