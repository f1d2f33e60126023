package dev.releasegate.stages.exec;

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
 * The exec stage's options, read once.
 *
 * @param workingDirectory relative to the project; the stage checks that it stays inside
 * @param outputs globs relative to the project of the files whose digests are recorded
 * @param exclusive runs alone among the stages that use the work tree
 */
record ExecOptions(
    List<String> command, Duration timeout, Map<String, String> env, String workingDirectory, List<String> outputs, boolean exclusive) {

  ExecOptions {
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must name a program");
    }
    Objects.requireNonNull(timeout, "timeout");
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    outputs = List.copyOf(outputs);
  }

  static ExecOptions from(StageOptions options) {
    return OptionProblems.valid(options, ExecOptions::read);
  }

  /** Reads options of the declared types and reports, at its place, each problem the schema cannot express. */
  static Optional<ExecOptions> read(StageOptions options, Problems reported) {
    OptionProblems problems = new OptionProblems(reported);
    List<String> outputs = options.stringList("outputs");
    OptionProblems.relativeGlobs(outputs, "outputs", "output", problems);
    return problems.result(() -> new ExecOptions(options.stringList("command"), Duration.ofSeconds(options.integer("timeoutSeconds")),
        options.stringMap("env"), options.string("workingDirectory"), outputs, options.bool("exclusive")));
  }
}
