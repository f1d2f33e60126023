package dev.releasegate.stages.test;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.process.ProjectPaths;
import dev.releasegate.process.StageCommand;
import dev.releasegate.process.Subprocess;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.spi.StageContext;
import dev.releasegate.stages.FreshBuild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test command as the project's whole build: what it must leave for the image, checked to be this
 * run's. An image made of a class or jar an earlier build left behind (a deleted source, a dropped
 * dependency) would hold code that was never tested at this commit.
 */
final class BuildRun {
  private BuildRun() {}

  /**
   * Empties the dependency folder before the build: dependency copiers keep a jar's original time and
   * leave jars of dropped dependencies, so only an empty folder shows what this build copied.
   */
  static void clearDependencies(Path project, TestOptions.Build build) throws IOException {
    for (Path jar : jars(ProjectPaths.inside(project, build.dependencies(), "dependencies"))) {
      Files.delete(jar);
    }
  }

  /** What the build wrote for the image; refused when any class or resource is older than the build. */
  static BuildOutputs outputs(Path project, TestOptions.Build build, Instant started) throws IOException {
    Path classes = ProjectPaths.inside(project, build.classes(), "classes");
    if (!Files.isDirectory(classes)) {
      throw new InvalidInputException("the build left no " + build.classes() + "; set 'classes' in the test stage to where it writes classes");
    }
    FreshBuild.check(project, classes, started);
    return new BuildOutputs(started, classes, jars(ProjectPaths.inside(project, build.dependencies(), "dependencies")));
  }

  /** The command's outcome when the build that runs releasegate already ran it: nothing ran here. */
  static StageCommand.Outcome alreadyRun(StageContext context) throws IOException {
    return new StageCommand.Outcome(new Subprocess.Result(0, false, Duration.ZERO),
        context.artifacts().write("output.log", "the build that runs this release ran the tests; only its reports are read\n"
            .getBytes(StandardCharsets.UTF_8)), List.of());
  }

  private static List<Path> jars(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(path -> path.getFileName().toString().endsWith(".jar") && Files.isRegularFile(path)).sorted().toList();
    }
  }
}
