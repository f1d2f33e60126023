package dev.releasegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.publish.Attachments;
import dev.releasegate.spi.StageKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** How a release's result ends the build: the command line's exit codes as Maven's two failures. */
class OutcomeTest {
  private static final Path EVIDENCE = Path.of("/work/evidence");
  private static final String IMAGE = "127.0.0.1:5000/hello";
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  private static StageEntry stage(String name, StageStatus status, Optional<String> reason, Optional<FailureKind> failure) {
    return new StageEntry(name, "trivy", StageKind.GATE, status, reason, failure, Optional.empty(), 10, Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), Json.object(), List.of(), List.of(), List.of());
  }

  private static ReleaseResult result(ReleaseStatus status, List<StageEntry> stages, List<RegistryWrite> writes, Optional<Attachments> attachments) {
    return new ReleaseResult(status, Optional.of(IMAGE), Optional.of(DIGEST), List.of("1.0.0"), EVIDENCE, stages, writes, attachments);
  }

  private static ReleaseResult stopped(FailureKind kind, List<RegistryWrite> writes) {
    return result(kind == FailureKind.REJECTED ? ReleaseStatus.REJECTED : ReleaseStatus.FAILED,
        List.of(stage("scan", StageStatus.FAILED, Optional.of("1 blocking vulnerability"), Optional.of(kind))), writes, Optional.empty());
  }

  private static void conclude(ReleaseResult result) throws MojoExecutionException, MojoFailureException {
    Outcome.conclude(result, new SystemStreamLog());
  }

  @Test
  void releasedAndDryRunsPassTheBuild() throws Exception {
    conclude(result(ReleaseStatus.RELEASED, List.of(stage("scan", StageStatus.PASSED, Optional.empty(), Optional.empty())), List.of(),
        Optional.of(new Attachments(true, Optional.of(DIGEST), Optional.empty(), 5, List.of()))));
    conclude(result(ReleaseStatus.DRY_RUN, List.of(), List.of(), Optional.empty()));
  }

  @Test
  void aRejectionFailsTheBuildWithTheStagesReasonAndTheEvidence() {
    MojoFailureException failure = assertThrows(MojoFailureException.class, () -> conclude(stopped(FailureKind.REJECTED, List.of())));
    assertEquals("releasegate: the release was rejected by stage 'scan': 1 blocking vulnerability\n"
        + "nothing was written to the registry that a deployer's tool would accept\n"
        + "evidence (signed, not released): /work/evidence", failure.getMessage());
  }

  @Test
  void aStageThatCouldNotDecideIsAnErrorNamingWhatItWrote() {
    RegistryWrite tag = new RegistryWrite("127.0.0.1:5000/hello", "1.0.0", DIGEST, Optional.empty());
    MojoExecutionException error = assertThrows(MojoExecutionException.class, () -> conclude(stopped(FailureKind.ENVIRONMENT, List.of(tag))));
    assertEquals("releasegate: stage 'scan' could not decide because of the environment: 1 blocking vulnerability\n"
        + "already written to the registry (remove each, or finish with releasegate release --resume --evidence /work/evidence):\n"
        + "  " + tag.where() + " -> " + DIGEST + "\n    remove: " + tag.removal() + "\n"
        + "evidence (signed, not released): /work/evidence", error.getMessage());
    assertThrows(MojoExecutionException.class, () -> conclude(stopped(FailureKind.INVALID_INPUT, List.of())));
  }

  @Test
  void aMovedTagFailsTheBuildAndAFailedAttachmentIsAnError() {
    MojoFailureException race = assertThrows(MojoFailureException.class, () -> conclude(result(ReleaseStatus.RELEASED, List.of(), List.of(),
        Optional.of(new Attachments(true, Optional.of(DIGEST), Optional.empty(), 5, List.of("1.0.0 now names sha256:b"))))));
    assertEquals(true, race.getMessage().startsWith("releasegate: TAG RACE: "), race.getMessage());
    MojoExecutionException unattached = assertThrows(MojoExecutionException.class, () -> conclude(result(ReleaseStatus.RELEASED, List.of(),
        List.of(), Optional.of(new Attachments(false, Optional.empty(), Optional.of("registry down"), 5, List.of())))));
    assertEquals("releasegate: released, but attaching the verdict and the evidence to the image failed: registry down\n"
        + "the tags 1.0.0 exist; finish with: releasegate release --resume --evidence /work/evidence", unattached.getMessage());
  }
}
