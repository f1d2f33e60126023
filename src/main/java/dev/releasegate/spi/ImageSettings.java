package dev.releasegate.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The image the release produces and what it is built on, from the pipeline file and the command line.
 *
 * @param repository where the image goes, e.g. {@code 127.0.0.1:5000/hello-service}
 * @param base the base image reference as given (by tag or digest)
 * @param labels extra labels from the pipeline file
 * @param insecureRegistry plain HTTP allowed, for loopback registries
 */
public record ImageSettings(
    Optional<String> repository,
    Optional<String> base,
    Map<String, String> labels,
    boolean insecureRegistry) {

  public ImageSettings {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(base, "base");
    labels = Map.copyOf(labels);
  }
}
