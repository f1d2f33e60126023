package dev.releasegate.stages.sign;

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

/** {@code uses: sign} — a cosign signature of the digest, and the run's statements as attestations. */
public final class SignStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/sign/v1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.bool("attest", "Attach the run's statements about the image as cosign attestations.").defaultValue(true),
          OptionSpec.string("format", "legacy: cosign's .sig and .att tags (cosign v2, containers/image); bundle: Sigstore bundles as "
              + "OCI referrers (cosign v3's default); both: each reader finds its own.").defaultValue("both").allowed("legacy", "bundle", "both"));

  public SignStageFactory() {
    super("sign", StageKind.PUBLISHER, "signs the image digest and attaches the run's statements as attestations, in cosign's legacy tags "
        + "and as Sigstore bundle referrers", PREDICATE_TYPE, OPTIONS);
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
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new SignReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new SignStage(SignOptions.from(options));
  }
}
