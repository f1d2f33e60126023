package dev.releasegate.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated pipeline file.
 *
 * @param location the file's path, or {@code builtin:release.yaml}
 * @param sha256 hex digest of the file bytes, recorded as the release policy
 */
public record Pipeline(
    String location,
    String sha256,
    Optional<String> repository,
    Optional<String> base,
    Map<String, String> labels,
    List<StageDeclaration> stages) {

  public Pipeline {
    labels = Map.copyOf(labels);
    stages = List.copyOf(stages);
  }
}
