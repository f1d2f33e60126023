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
 * @param byTheCaller made by the build that runs this release (the Maven plug-in), which also ran the
 *     project's tests: a test stage then reads that build's reports instead of running its command. A
 *     stage's own build leaves every later test stage to run its command.
 */
public record BuildOutputs(Instant startedAt, Path classes, List<Path> runtimeJars, boolean byTheCaller) {
  public BuildOutputs {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(classes, "classes");
    runtimeJars = List.copyOf(runtimeJars);
  }

  /** Outputs of a stage's own build. */
  public BuildOutputs(Instant startedAt, Path classes, List<Path> runtimeJars) {
    this(startedAt, classes, runtimeJars, false);
  }

  /** The same outputs, as made by the build that runs this release. */
  public BuildOutputs ofTheCaller() {
    return new BuildOutputs(startedAt, classes, runtimeJars, true);
  }
}
