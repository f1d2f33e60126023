package dev.releasegate.stages.exec;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.CommandOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The exec stage's options, read once.
 *
 * @param outputs globs relative to the project of the files whose digests are recorded
 * @param exclusive runs alone among the stages that use the work tree
 */
record ExecOptions(CommandOptions run, List<String> outputs, boolean exclusive) {

  ExecOptions {
    Objects.requireNonNull(run, "run");
    outputs = List.copyOf(outputs);
  }

  static ExecOptions from(StageOptions options) {
    return OptionProblems.valid(options, ExecOptions::read);
  }

  /** Reads the options and reports each outputs glob that leaves the project. */
  static Optional<ExecOptions> read(StageOptions options, OptionProblems problems) {
    List<String> outputs = options.stringList("outputs");
    OptionProblems.relativeGlobs(outputs, "outputs", "output", problems);
    return problems.result(() -> new ExecOptions(CommandOptions.read(options), outputs, options.bool("exclusive")));
  }
}
