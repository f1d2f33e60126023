package dev.releasegate.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated pipeline file.
 *
 * @param location the file's path, or {@code builtin:release.yaml}
 * @param sha256 hex digest of the file bytes, recorded as the release policy
 * @param text the file itself, kept in the evidence so that an auditor reads the policy that was applied
 * @param attach what a released run attaches to its image after the verdict
 */
public record Pipeline(
    String location,
    String sha256,
    String text,
    Optional<String> repository,
    Optional<String> base,
    Map<String, String> labels,
    List<StageDeclaration> stages,
    Attach attach) {

  public Pipeline {
    labels = Map.copyOf(labels);
    stages = List.copyOf(stages);
  }

  /**
   * The pipeline file's {@code attach:}.
   *
   * @param verdict the signed verdict, as an attestation of the image
   * @param evidence the evidence bundle, as an OCI artifact that refers to the image
   */
  public record Attach(boolean verdict, boolean evidence) {
    public static final Attach ALL = new Attach(true, true);
  }

  /**
   * The location as the evidence records it: relative to the project when the file is in it, else the
   * file's name; never a path of the machine that ran the release (the file itself is in the bundle).
   */
  public String recordedLocation(Path projectDirectory) {
    if (location.startsWith("builtin:")) {
      return location;
    }
    Path file = Path.of(location).toAbsolutePath().normalize();
    Path project = projectDirectory.toAbsolutePath().normalize();
    return (file.startsWith(project) ? project.relativize(file) : file.getFileName()).toString().replace('\\', '/');
  }

  /** The same pipeline attaching {@code attach} instead. */
  public Pipeline withAttach(Attach attach) {
    return new Pipeline(location, sha256, text, repository, base, labels, stages, attach);
  }
}
