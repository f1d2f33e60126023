package dev.releasegate.stages.test;

import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Problems;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Optional;

/** {@code uses: test} — runs the project's tests and gates on their result. */
public final class TestStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://in-toto.io/attestation/test-result/v0.1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.command("command", "The test command, run in the project folder.")
              .defaultValue(List.of("mvn", "-B", "test")),
          OptionSpec.stringList("reports", "Globs of JUnit XML reports, relative to the project; when given, at least one fresh report must be found."),
          OptionSpec.integer("timeoutSeconds", "Stop the command and reject after this long.")
              .defaultValue(1800).range(1, 86_400),
          OptionSpec.stringMap("env", "Extra environment variables for the command."),
          OptionSpec.string("workingDirectory", "Where to run the command, relative to the project.")
              .defaultValue("."));

  public TestStageFactory() {
    super("test", StageKind.GATE, "runs the project's tests (JUnit XML reports) and gates on their result", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    TestOptions.read(options, new OptionProblems(problems));
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new TestResultReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new TestStage(TestOptions.from(options));
  }
}
