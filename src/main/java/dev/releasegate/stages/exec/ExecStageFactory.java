package dev.releasegate.stages.exec;

import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Problems;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.Optional;

/** {@code uses: exec} — any command as a gate: it passes when the command exits 0. */
public final class ExecStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/exec/v1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.command("command", "The command and its arguments, run without a shell.").required(),
          OptionSpec.integer("timeoutSeconds", "Stop the command and reject after this long.")
              .defaultValue(600).range(1, 86_400),
          OptionSpec.stringMap("env", "Extra environment variables for the command."),
          OptionSpec.string("workingDirectory", "Where to run the command, relative to the project.")
              .defaultValue("."),
          OptionSpec.stringList("outputs", "Globs of files the command writes, relative to the project; their digests are recorded."),
          OptionSpec.bool("exclusive",
              "Run alone among the stages that use the work tree (test, build, other exec stages). "
                  + "false lets a command that only reads run beside them.")
              .defaultValue(true));

  public ExecStageFactory() {
    super("exec", StageKind.GATE, "runs any command as a gate and records command, exit code and output digests", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    ExecOptions.read(options, new OptionProblems(problems));
  }

  @Override
  public boolean usesWorkTree(StageOptions options) {
    return ExecOptions.from(options).exclusive();
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new ExecReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new ExecStage(ExecOptions.from(options));
  }
}
