package dev.releasegate.stages.test;

import dev.releasegate.spi.Problems;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The test stage's options, read once.
 *
 * @param reports globs relative to the project; when there are any, a fresh report must match one
 * @param workingDirectory relative to the project; the stage checks that it stays inside
 */
record TestOptions(List<String> command, List<String> reports, Duration timeout, Map<String, String> env, String workingDirectory) {

  TestOptions {
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must name a program");
    }
    reports = List.copyOf(reports);
    Objects.requireNonNull(timeout, "timeout");
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    Objects.requireNonNull(workingDirectory, "workingDirectory");
  }

  static TestOptions from(StageOptions options) {
    return OptionProblems.valid(options, TestOptions::read);
  }

  /** Reads options of the declared types and reports, at its place, each problem the schema cannot express. */
  static Optional<TestOptions> read(StageOptions options, Problems reported) {
    OptionProblems problems = new OptionProblems(reported);
    List<String> reports = options.stringList("reports");
    OptionProblems.relativeGlobs(reports, "reports", "report", problems);
    return problems.result(() -> new TestOptions(options.stringList("command"), reports, Duration.ofSeconds(options.integer("timeoutSeconds")),
        options.stringMap("env"), options.string("workingDirectory")));
  }
}
