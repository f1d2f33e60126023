package dev.releasegate.stages.sign;

import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OptionsSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageOptions;
import java.util.Set;

/** {@code uses: sign} — a cosign signature of the digest, and the run's statements as attestations. */
public final class SignStageFactory implements StageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/sign/v1";

  static final OptionsSpec OPTIONS =
      OptionsSpec.of(
          OptionSpec.bool("attest", "Attach the run's statements about the image as cosign attestations (.att).").defaultValue(true));

  @Override
  public String type() {
    return "sign";
  }

  @Override
  public String description() {
    return "signs the image digest in cosign's format (.sig) and attaches the run's statements as attestations (.att)";
  }

  @Override
  public String predicateType() {
    return PREDICATE_TYPE;
  }

  @Override
  public OptionsSpec options() {
    return OPTIONS;
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  @Override
  public Stage create(StageOptions options) {
    return new SignStage(options);
  }
}
