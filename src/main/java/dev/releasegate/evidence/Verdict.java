package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The closing statement of a run: an SLSA verification summary whose {@code inputAttestations} name
 * the digest of every stage envelope, and whose {@code run} field carries the whole signed
 * {@link RunRecord}.
 */
public final class Verdict {
  public static final String PREDICATE_TYPE = "https://slsa.dev/verification_summary/v1";
  public static final String VERIFIER_ID = "https://releasegate.dev/releasegate";
  /** A custom level (SLSA reserves the {@code SLSA_} prefix): every gate of the pipeline passed. */
  public static final String GATES_PASSED_LEVEL = "RELEASEGATE_GATES_PASSED";
  public static final String STATEMENT_PATH = "statements/99-verdict.dsse.json";

  private Verdict() {}

  public static ObjectNode statement(RunRecord run, Instant timeVerified) {
    List<ObjectNode> subjects = new ArrayList<>();
    run.image().ifPresent(image -> subjects.add(RunRecord.imageSubject(image)));
    subjects.add(run.gitSubject());

    ObjectNode predicate = Json.object();
    predicate.putObject("verifier").put("id", VERIFIER_ID).putObject("version").put("releasegate", run.toolVersion());
    predicate.put("timeVerified", timeVerified.toString());
    predicate.put("resourceUri", resourceUri(run));
    predicate.putObject("policy").put("uri", run.pipelineLocation()).putObject("digest").put("sha256", run.pipelineSha256());
    ArrayNode inputs = predicate.putArray("inputAttestations");
    for (StageEntry stage : run.stages()) {
      if (stage.statement().isPresent()) {
        ObjectNode input = inputs.addObject().put("uri", stage.statement().get());
        input.putObject("digest").put("sha256", stage.sha256().get());
      }
    }
    boolean released = run.status() == ReleaseStatus.RELEASED;
    predicate.put("verificationResult", released ? "PASSED" : "FAILED");
    predicate.putArray("verifiedLevels").add(released ? GATES_PASSED_LEVEL : "FAILED");
    predicate.put("slsaVersion", "1.0");
    predicate.set("run", run.toJson());
    return Statements.statement(subjects, PREDICATE_TYPE, predicate);
  }

  static String resourceUri(RunRecord run) {
    if (run.image().isPresent()) {
      return "oci://" + run.image().get();
    }
    return run.git().source().map(url -> "git+" + url).orElse("git") + "@" + run.git().commit();
  }
}
