package dev.releasegate.stages.sign;

import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OptionsSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageOptions;
import java.util.Set;

/** {@code uses: sign} — a cosign signature of the digest, and the run's statements as attestations. */
public final class SignStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/sign/v1";

  static final OptionsSpec OPTIONS =
      OptionsSpec.of(
          OptionSpec.bool("attest", "Attach the run's statements about the image as cosign attestations (.att).").defaultValue(true));

  public SignStageFactory() {
    super("sign", StageKind.PUBLISHER, "signs the image digest in cosign's format (.sig) and attaches the run's statements as attestations (.att)", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  /** It writes to the registry only, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public Stage create(StageOptions options) {
    return new SignStage(options);
  }
}
