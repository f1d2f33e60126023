package dev.releasegate.stages.cyclonedx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.image.ImageConfig;
import dev.releasegate.image.ImagePath;
import dev.releasegate.image.LayerChanges;
import dev.releasegate.image.RemoteImage;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the image under release from the registry by digest ({@link RemoteImage}: manifest, config,
 * then every layer as a stream through a temporary file) and writes a CycloneDX SBOM of what is in it.
 * The statement's predicate is the BOM itself, as {@code cosign attest --type cyclonedx} makes it.
 *
 * <p>Every layer is checked against its diff_id in the image config, so the SBOM describes exactly
 * the image its statement names. A registry that cannot be read, a layer that is not a tar archive,
 * or a BOM that does not validate fails the stage: it never attests an SBOM it is not sure of.
 */
final class CycloneDxStage implements Stage {
  static final String DEFAULT_APP_ROOT = "/app";

  private final CycloneDxOptions options;

  CycloneDxStage(CycloneDxOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    context.progress("reading the manifest of " + image);
    RemoteImage remote = RemoteImage.of(context, StageRegistries.settings(context));
    ImageConfig config = remote.config();
    String appRoot = appRoot(config);
    List<SbomFiles> selectors = remote.layers().stream().map(layer -> new SbomFiles(appRoot)).toList();
    List<LayerChanges<SbomFiles.Tracked>> layers = remote.readLayers(selectors, context::progress);
    SbomFiles.Merged files = SbomFiles.Merged.of(appRoot, selectors, layers);

    context.progress("writing the SBOM");
    SbomBuilder.Sbom sbom = new SbomBuilder(image, remote.configDigest(), config, files, context.git().commitTime(), ToolVersion.get()).build();
    byte[] json = SbomJson.write(sbom.bom());
    Path file;
    try {
      context.artifacts().write(CycloneDxStageFactory.FILE, json);
      file = context.artifacts().directory().resolve(CycloneDxStageFactory.FILE).toAbsolutePath();
    } catch (IOException e) {
      throw new EnvironmentException("cyclonedx stage cannot write its evidence: " + e.getMessage(), e);
    }
    ObjectNode predicate;
    try {
      predicate = (ObjectNode) Json.parse(json);
    } catch (IOException e) {
      throw new IllegalStateException("the SBOM just written does not parse: " + e.getMessage(), e);
    }

    StageResult.Builder result = StageResult.passed(summary(image, sbom.counts()))
        .output(Outputs.SBOM, file)
        .predicate(predicate);
    sbom.warnings().forEach(result::warning);
    return result.build();
  }

  /** The option, else the image's working directory (jib sets it to its appRoot), else /app; normalized. */
  private String appRoot(ImageConfig config) {
    String workingDir = config.workingDir();
    return ImagePath.normalize(options.appRoot()
        .orElse(workingDir.startsWith("/") && !ImagePath.normalize(workingDir).equals("/") ? workingDir : DEFAULT_APP_ROOT));
  }

  static String summary(ImageReference image, SbomBuilder.Counts counts) {
    List<String> parts = new ArrayList<>();
    parts.add(plural(counts.debianPackages(), "Debian package"));
    parts.add(plural(counts.runtimes(), "Java runtime"));
    parts.add(plural(counts.applications(), "application"));
    parts.add(plural(counts.jars(), "jar") + (counts.nestedComponents() > 0 ? " (+" + counts.nestedComponents() + " nested)" : ""));
    return "SBOM of " + image + " (CycloneDX " + SbomJson.VERSION.getVersionString() + "): " + String.join(", ", parts);
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
