package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import java.util.Optional;

/**
 * The signed verdict, the root of trust: it signs the run record the index holds, names the run's image
 * and commit, lists every stage statement with its digest, and its result follows the record's status.
 */
final class VerdictStatement {
  private final StatementReader statements;
  private final Problems problems;

  VerdictStatement(StatementReader statements, Problems problems) {
    this.statements = statements;
    this.problems = problems;
  }

  void check(EvidenceIndex index, RunRecord run) {
    String path = Verdict.STATEMENT_PATH;
    Optional<ObjectNode> read = statements.read(path, index.verdict().path("sha256").asText(""));
    if (read.isEmpty()) {
      return;
    }
    ObjectNode statement = read.get();
    if (!Verdict.PREDICATE_TYPE.equals(statement.path("predicateType").asText())) {
      problems.add(path, "predicate type", "expected " + Verdict.PREDICATE_TYPE);
      return;
    }
    JsonNode predicate = statement.get("predicate");
    if (!index.runPart().equals(predicate.get("run"))) {
      problems.add(EvidenceLayout.INDEX, "signed record", "differs from the run record signed in the verdict");
    }
    ArrayNode expectedSubjects = Json.array();
    run.image().ifPresent(image -> expectedSubjects.add(RunRecord.imageSubject(image)));
    expectedSubjects.add(run.gitSubject());
    if (!expectedSubjects.equals(statement.get("subject"))) {
      problems.add(path, "subject", "verdict subjects do not name the run's image digest and git commit");
    }
    ArrayNode inputs = Json.array();
    for (StageEntry stage : run.stages()) {
      if (stage.statement().isPresent()) {
        ObjectNode input = inputs.addObject().put("uri", stage.statement().get());
        input.putObject("digest").put("sha256", stage.sha256().get());
      }
    }
    if (!inputs.equals(predicate.get("inputAttestations"))) {
      problems.add(path, "input attestations", "do not list exactly the stage statements of bundle.json with their digests");
    }
    boolean released = run.status() == ReleaseStatus.RELEASED;
    if (!predicate.path("verificationResult").asText().equals(released ? "PASSED" : "FAILED")) {
      problems.add(path, "verdict", "verificationResult contradicts status " + run.status().id());
    }
    if (!Verdict.resourceUri(run).equals(predicate.path("resourceUri").asText())) {
      problems.add(path, "verdict", "resourceUri does not name the run's subject");
    }
  }
}
