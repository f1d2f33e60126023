package dev.releasegate.testplugin;

import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.spi.StageResult;
import java.nio.file.Path;
import java.util.Set;

/**
 * Test-only plug-in (listed in src/test/resources/META-INF/services): publishes the pipeline's
 * image.repository with a fixed digest, and optionally an SBOM path, so that the trivy stage runs in a
 * real release without a registry.
 */
public final class FakeImageStageFactory implements StageFactory {
  public static final String DIGEST = "sha256:5e0bd9d2f4ad06c7b0ba0a1ec7c5f1bc6b5f2a5ebbd4fd8c0b2f8e4a7e9c1d3a";

  @Override
  public String type() {
    return "fake-image";
  }

  @Override
  public String description() {
    return "test plug-in: publishes a fixed image reference (and optionally an SBOM) without building anything";
  }

  @Override
  public StageKind kind() {
    return StageKind.GATE;
  }

  @Override
  public String predicateType() {
    return "https://example.test/fake-image/v1";
  }

  @Override
  public OptionSchema options() {
    return OptionSchema.of(
        OptionSpec.string("digest", "The digest to publish.").defaultValue(DIGEST),
        OptionSpec.string("sbom", "An SBOM file, relative to the project, published as output 'sbom'."));
  }

  @Override
  public Set<OutputKey<?>> produces(StageOptions options) {
    return options.findString("sbom").isPresent() ? Set.of(Outputs.IMAGE, Outputs.SBOM) : Set.of(Outputs.IMAGE);
  }

  @Override
  public Stage create(StageOptions options) {
    return context -> {
      ImageReference image = new ImageReference(context.image().repository().orElseThrow(), options.string("digest"));
      StageResult.Builder result = StageResult.passed("published " + image)
          .predicate(Json.object().put("image", image.toString()))
          .output(Outputs.IMAGE, image);
      options.findString("sbom").ifPresent(sbom -> result.output(Outputs.SBOM, Path.of(sbom)));
      return result.build();
    };
  }
}
