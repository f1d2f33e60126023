package dev.releasegate.stages.verify;

import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import java.util.Optional;
import java.util.Set;

/** {@code uses: verify} — re-reads the signature and attestations from the registry and verifies them. */
public final class VerifyStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/verify/v1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.stringList("requirePredicates",
              "Predicate types that must be attested; default: those of the run's statements about the image."));

  public VerifyStageFactory() {
    super("verify", StageKind.PUBLISHER, "verifies the image's cosign signature and attestations, re-read from the registry, with the run's key", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  /** It reads the registry only, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new VerifyReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new VerifyStage(VerifyOptions.from(options));
  }
}
