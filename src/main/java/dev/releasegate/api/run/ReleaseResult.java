package dev.releasegate.api.run;

import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.publish.Attachments;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@code Releasegate.release}: the verdict, what was released and where the evidence is.
 *
 * @param status released, rejected or failed
 * @param image the repository, when the pipeline builds an image
 * @param digest the image digest, once built
 * @param tags the tags written to the registry
 * @param evidenceDirectory the evidence bundle
 * @param stages every stage of the pipeline, in order, as the evidence bundle records them
 * @param writes every manifest the publishers put into a registry, in order
 * @param attachments what a released run attached to its image after the verdict; empty when the run
 *     was not released or built no image
 */
public record ReleaseResult(
    ReleaseStatus status,
    Optional<String> image,
    Optional<String> digest,
    List<String> tags,
    Path evidenceDirectory,
    List<StageEntry> stages,
    List<RegistryWrite> writes,
    Optional<Attachments> attachments) {

  public ReleaseResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(evidenceDirectory, "evidenceDirectory");
    Objects.requireNonNull(attachments, "attachments");
    tags = List.copyOf(tags);
    stages = List.copyOf(stages);
    writes = List.copyOf(writes);
  }

  /** The stage that stopped the release, if it did not pass. */
  public Optional<StageEntry> failedStage() {
    return stages.stream().filter(stage -> stage.status() == StageStatus.FAILED).findFirst();
  }
}
