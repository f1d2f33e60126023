package dev.releasegate.stages.test;

import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Problems;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
              .defaultValue("."),
          OptionSpec.bool("build", "The command also builds what the image is made of (e.g. mvn -B clean verify, with the runtime "
              + "dependencies copied); once it passes, the classes and jars it wrote go to the image build, which builds nothing again.")
              .defaultValue(false),
          OptionSpec.string("classes", "With build: where the build writes classes and resources, relative to the project.")
              .defaultValue("target/classes"),
          OptionSpec.string("dependencies", "With build: the folder of runtime dependency jars the build writes, relative to the project.")
              .defaultValue("target/dependency"));

  public TestStageFactory() {
    super("test", StageKind.GATE, "runs the project's tests (JUnit XML reports) and gates on their result", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    TestOptions.read(options, new OptionProblems(problems));
  }

  @Override
  public Set<OutputKey<?>> produces(StageOptions options) {
    // Asked of options that may have failed their checks too: read leniently.
    return options.has("build") && Boolean.TRUE.equals(options.asMap().get("build")) ? Set.of(Outputs.BUILD) : Set.of();
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
