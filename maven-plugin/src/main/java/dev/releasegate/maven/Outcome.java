package dev.releasegate.maven;

import dev.releasegate.api.Releasegate;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.publish.Attachments;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * What a release's result means for the build, as the command line's exit codes say it: released (or a
 * dry run whose gates all passed) is success; rejected by a gate, or a tag moved by another release, fails
 * the build; a release that could not decide, or could not attach its verdict, is an error.
 */
final class Outcome {
  private Outcome() {}

  static void conclude(ReleaseResult result, Log log) throws MojoExecutionException, MojoFailureException {
    if (result.status() == ReleaseStatus.DRY_RUN) {
      log.info(dryRunSummary(result));
      return;
    }
    if (result.status() == ReleaseStatus.RELEASED) {
      Attachments attachments = result.attachments().orElse(null);
      if (attachments != null && !attachments.tagsHeld()) {
        throw new MojoFailureException("releasegate: " + tagRace(result, attachments));
      }
      if (attachments != null && !attachments.complete()) {
        throw new MojoExecutionException("releasegate: released, but attaching "
            + (attachments.verdict() ? "the evidence" : "the verdict and the evidence") + " to the image failed: "
            + attachments.failure().orElse("") + "\nthe tags " + String.join(", ", result.tags())
            + " exist; finish with: releasegate release --resume --evidence " + result.evidenceDirectory());
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
    } + failed.reason().map(reason -> ": " + reason).orElse("") + "\n" + written(result);
    if (kind == FailureKind.REJECTED) {
      throw new MojoFailureException(message);
    }
    throw new MojoExecutionException(message);
  }

  /** What a failed release left in the registry, and where its evidence is. */
  private static String written(ReleaseResult result) {
    StringBuilder text = new StringBuilder();
    if (result.writes().isEmpty()) {
      text.append("nothing was written to the registry that a deployer's tool would accept");
    } else {
      text.append("already written to the registry (remove each, or finish with releasegate release --resume --evidence ")
          .append(result.evidenceDirectory()).append("):");
      for (RegistryWrite write : result.writes()) {
        text.append("\n  ").append(write.where()).append(" -> ").append(write.digest()).append("\n    remove: ").append(write.removal());
      }
    }
    return text.append("\nevidence (signed, not released): ").append(result.evidenceDirectory()).toString();
  }

  private static String tagRace(ReleaseResult result, Attachments attachments) {
    StringBuilder text = new StringBuilder("TAG RACE: the release passed every gate and its tags were pushed, but another release moved them since:");
    attachments.movedTags().forEach(moved -> text.append("\n  ").append(moved));
    return text.append("\na deployer pulling these tags gets the other release's image, not this one; this run's verdict and evidence"
        + " stay attached to ").append(result.digest().orElse("its digest")).append(" only."
        + "\nrelease one repository from one place at a time; the registry cannot refuse the second writer").toString();
  }

  private static String dryRunSummary(ReleaseResult result) {
    Path layout = Releasegate.imageLayoutBeside(result.evidenceDirectory());
    return "releasegate: DRY RUN: every gate passed" + result.digest().map(digest -> " for " + result.image().orElse("") + "@" + digest).orElse("")
        + "; nothing was pushed, tagged or signed"
        + (Files.isDirectory(layout) ? "\nthe image is in " + layout + " (an OCI layout: podman pull oci:" + layout + ")" : "")
        + "\nthe evidence is signed with a key of the run's own (its signer.pub) and never verifies as a release: " + result.evidenceDirectory();
  }
}
