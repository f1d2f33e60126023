package dev.releasegate.stages.push;

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

/** {@code uses: push} — writes the release's tags, never moving one that names another digest. */
public final class PushStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/push/v1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.stringList("tags", "Tag templates: {version}, {gitSha}, {gitShortSha}. 'latest' is written only when listed.")
              .defaultValue(List.of("{version}", "{gitShortSha}")),
          OptionSpec.integer("lockTimeoutSeconds", "How long to wait for another release on this machine that is tagging the same repository.")
              .defaultValue(120).range(1, 3600));

  public PushStageFactory() {
    super("push", StageKind.PUBLISHER, "tags the released digest; a tag that names another digest is never moved", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  @Override
  public Set<OutputKey<?>> produces(StageOptions options) {
    return Set.of(Outputs.TAGS);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    PushOptions.read(options, new OptionProblems(problems));
  }

  /** It writes tags only, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new PushReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new PushStage(PushOptions.from(options));
  }
}
