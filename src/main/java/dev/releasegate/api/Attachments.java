package dev.releasegate.api;

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
 */
public record Attachments(boolean verdict, Optional<String> evidence, Optional<String> failure, long durationMs) {

  public Attachments {
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(failure, "failure");
  }

  public boolean complete() {
    return failure.isEmpty();
  }
}
