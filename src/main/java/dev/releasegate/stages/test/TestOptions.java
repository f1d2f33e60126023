package dev.releasegate.stages.test;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.CommandOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The test stage's options, read once.
 *
 * @param reports globs relative to the project; when there are any, a fresh report must match one
 * @param build where the command leaves what the image is made of, when it builds that too
 */
record TestOptions(CommandOptions run, List<String> reports, Optional<Build> build) {

  TestOptions {
    Objects.requireNonNull(run, "run");
    reports = List.copyOf(reports);
    Objects.requireNonNull(build, "build");
  }

  /** The folders of classes and of runtime dependency jars, relative to the project. */
  record Build(String classes, String dependencies) {}

  static TestOptions from(StageOptions options) {
    return OptionProblems.valid(options, TestOptions::read);
  }

  /** Reads the options and reports each reports glob that leaves the project. */
  static Optional<TestOptions> read(StageOptions options, OptionProblems problems) {
    List<String> reports = options.stringList("reports");
    OptionProblems.relativeGlobs(reports, "reports", "report", problems);
    Optional<Build> build = options.bool("build")
        ? Optional.of(new Build(options.string("classes"), options.string("dependencies")))
        : Optional.empty();
    return problems.result(() -> new TestOptions(CommandOptions.read(options), reports, build));
  }
}
