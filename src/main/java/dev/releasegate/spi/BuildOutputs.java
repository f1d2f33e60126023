package dev.releasegate.spi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a build of the project in this run left for the image: the compiled classes and the runtime
 * dependency jars. It is handed on (as {@link Outputs#BUILD}) so that the image is made of exactly what
 * was built and tested, and the project is not built a second time.
 *
 * @param startedAt when that build started; everything it names was written after it
 * @param classes the compiled classes and resources
 * @param runtimeJars the runtime dependency jars, in class path order
 */
public record BuildOutputs(Instant startedAt, Path classes, List<Path> runtimeJars) {
  public BuildOutputs {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(classes, "classes");
    runtimeJars = List.copyOf(runtimeJars);
  }
}
