package dev.releasegate.api;

import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.publish.Attachments;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a release's result means, in the sentences every front end says alike (the command line, the
 * Maven plug-in); none names a flag or parameter, so that each front end adds its own advice around them.
 */
public final class ReleaseMessages {
  private ReleaseMessages() {}

  /** A dry run whose gates all passed: what was checked, where the image is, and why its evidence never verifies as a release. */
  public static String dryRun(ReleaseResult result) {
    Path layout = Releasegate.imageLayoutBeside(result.evidenceDirectory());
    return "releasegate: DRY RUN: every gate passed" + result.digest().map(digest -> " for " + result.image().orElse("") + "@" + digest).orElse("")
        + "; nothing was pushed, tagged or signed"
        + (Files.isDirectory(layout) ? "\nthe image is in " + layout + " (an OCI layout: podman pull oci:" + layout + ")" : "")
        + "\nthe evidence is signed with a key of the run's own (its signer.pub) and never verifies as a release: " + result.evidenceDirectory();
  }

  /** A released run whose tags another release moved after the push, each moved tag on a line of its own. */
  public static String tagRace(ReleaseResult result) {
    StringBuilder text = new StringBuilder("TAG RACE: the release passed every gate and its tags were pushed, but another release moved them since:");
    result.attachments().ifPresent(attachments -> attachments.movedTags().forEach(moved -> text.append("\n  ").append(moved)));
    return text.append("\na deployer pulling these tags gets the other release's image, not this one; this run's verdict and evidence"
        + " stay attached to ").append(result.digest().orElse("its digest")).append(" only."
        + "\nrelease one repository from one place at a time (in GitHub Actions, a concurrency group); the registry cannot refuse"
        + " the second writer").toString();
  }

  /**
   * A released run whose verdict or evidence could not be attached to the image after the push; {@code resume}
   * says how to finish it, in the front end's terms.
   */
  public static String attachFailed(ReleaseResult result, String resume) {
    Attachments attachments = result.attachments().orElseThrow(() -> new IllegalArgumentException("the run attached nothing"));
    return "released, but attaching " + (attachments.verdict() ? "the evidence" : "the verdict and the evidence") + " to the image failed: "
        + attachments.failure().orElse("") + "\nthe tags " + String.join(", ", result.tags())
        + " exist; finish with: " + resume;
  }

  /**
   * What a release that did not pass left in the registry, each with how to remove it, and where its
   * evidence is; {@code resume} says how to finish the release instead, in the front end's terms.
   */
  public static String leftBehind(ReleaseResult result, String resume) {
    StringBuilder text = new StringBuilder();
    if (result.writes().isEmpty()) {
      text.append("nothing was written to the registry that a deployer's tool would accept");
    } else {
      text.append("already written to the registry (remove each, or finish with ").append(resume).append("):");
      for (RegistryWrite write : result.writes()) {
        text.append("\n  ").append(write.where()).append(" -> ").append(write.digest()).append("\n    remove: ").append(write.removal());
      }
    }
    return text.append("\nevidence (signed, not released): ").append(result.evidenceDirectory()).toString();
  }
}
