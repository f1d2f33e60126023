package dev.releasegate.publish;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a released run attached to its image after the verdict, so that the registry alone tells what
 * was decided and why.
 *
 * @param verdict the signed verdict (an SLSA verification summary) is among the image's attestations
 * @param evidence the manifest digest of the evidence artifact that refers to the image
 * @param failure why attaching did not finish; {@code release --resume} finishes it
 * @param durationMs how long attaching took
 * @param movedTags the release's tags that, read back once the verdict was attached, no longer name
 *     its digest: another releaser wrote them after this release's push (registries have no
 *     compare-and-set, so only reading back can tell), each as a sentence
 */
public record Attachments(boolean verdict, Optional<String> evidence, Optional<String> failure, long durationMs, List<String> movedTags) {

  public Attachments {
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(failure, "failure");
    movedTags = List.copyOf(movedTags);
  }

  public boolean complete() {
    return failure.isEmpty();
  }

  /** True when every tag still named the release's digest after the verdict was attached. */
  public boolean tagsHeld() {
    return movedTags.isEmpty();
  }
}
