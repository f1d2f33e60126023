package dev.releasegate.stages.cyclonedx;

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
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: cyclonedx} — a CycloneDX 1.6 SBOM of the built image, read from its layers in the
 * registry by digest: Debian packages, the Java runtime, the application and every jar.
 */
public final class CycloneDxStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://cyclonedx.org/bom";
  /** The SBOM's file name in the stage's artifact folder. */
  public static final String FILE = "bom.cdx.json";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.string("appRoot", "Where the application's classes/, resources/ and libs/ are in the image; "
              + "default: the image's working directory (jib's appRoot), else /app."));

  public CycloneDxStageFactory() {
    super("cyclonedx", StageKind.GATE, "writes a CycloneDX 1.6 SBOM of the image (Debian packages, Java runtime, application, jars) and attests it", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  @Override
  public Set<OutputKey<?>> produces(StageOptions options) {
    return Set.of(Outputs.SBOM);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    CycloneDxOptions.read(options, new OptionProblems(problems));
  }

  /** It reads the image's layers from the registry, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new SbomReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new CycloneDxStage(CycloneDxOptions.from(options));
  }
}
