package dev.releasegate.maven;

import dev.releasegate.api.ReleaseMessages;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.publish.Attachments;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * What a release's result means for the build, as the command line's exit codes say it: released (or a
 * dry run whose gates all passed) is success; rejected by a gate, or a tag moved by another release, fails
 * the build; a release that could not decide, or could not attach its verdict, is an error. The message
 * of a release that did not pass names the stage and its reason, since Maven shows it as the build's cause.
 */
final class Outcome {
  private Outcome() {}

  static void conclude(ReleaseResult result, Log log) throws MojoExecutionException, MojoFailureException {
    if (result.status() == ReleaseStatus.DRY_RUN) {
      log.info(ReleaseMessages.dryRun(result));
      return;
    }
    if (result.status() == ReleaseStatus.RELEASED) {
      if (!result.attachments().map(Attachments::tagsHeld).orElse(true)) {
        throw new MojoFailureException("releasegate: " + ReleaseMessages.tagRace(result));
      }
      if (!result.attachments().map(Attachments::complete).orElse(true)) {
        throw new MojoExecutionException("releasegate: " + ReleaseMessages.attachFailed(result, "releasegate release --resume --evidence " + result.evidenceDirectory()));
      }
      return;
    }
    StageEntry failed = result.failedStage().orElseThrow(() -> new IllegalStateException(result.status() + " without a failed stage"));
    FailureKind kind = failed.failure().orElseThrow();
    String message = "releasegate: " + switch (kind) {
      case REJECTED -> "the release was rejected by stage '" + failed.name() + "'";
      case INVALID_INPUT -> "stage '" + failed.name() + "' could not use its input";
      case ENVIRONMENT -> "stage '" + failed.name() + "' could not decide because of the environment";
      case INTERRUPTED -> "the release was interrupted during stage '" + failed.name() + "'";
    } + failed.reason().map(reason -> ": " + reason).orElse("")
        + "\n" + ReleaseMessages.leftBehind(result, "releasegate release --resume --evidence " + result.evidenceDirectory());
    if (kind == FailureKind.REJECTED) {
      throw new MojoFailureException(message);
    }
    throw new MojoExecutionException(message);
  }
}
