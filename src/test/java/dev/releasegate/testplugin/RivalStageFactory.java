package dev.releasegate.testplugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Test-only publisher (listed in src/test/resources/META-INF/services): plays a releaser on another
 * machine who pushes its own image to {@code tag} after this release's push stage read its tags back,
 * the one moment no lock or read-back inside a stage can cover. Its image is this one's manifest with
 * an annotation, so it is another digest with the same blobs.
 */
public final class RivalStageFactory implements StageFactory {
  @Override
  public String type() {
    return "rival";
  }

  @Override
  public String description() {
    return "test plug-in: moves a tag to another image, as a racing releaser would";
  }

  @Override
  public String predicateType() {
    return "https://example.test/rival/v1";
  }

  @Override
  public StageKind kind() {
    return StageKind.PUBLISHER;
  }

  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  @Override
  public OptionSchema options() {
    return OptionSchema.of(OptionSpec.string("tag", "The tag to take.").required());
  }

  @Override
  public Stage create(StageOptions options) {
    return context -> {
      ImageReference image = context.output(Outputs.IMAGE);
      RegistryAccess registry = RegistryAccess.open(image.repository(), StageRegistries.settings(context));
      RegistryAccess.ManifestBytes ours = registry.manifestBytes(image.digest()).orElseThrow();
      String rival;
      try {
        ObjectNode manifest = (ObjectNode) Json.parse(ours.bytes());
        manifest.putObject("annotations").put("example.test/rival", "yes");
        rival = registry.putManifest(Json.compact(manifest), ours.mediaType(), options.string("tag"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return StageResult.passed("moved " + options.string("tag") + " to " + rival).predicate(Json.object().put("rival", rival)).build();
    };
  }
}
