package dev.releasegate.stages.cyclonedx;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import dev.releasegate.ToolVersion;
import dev.releasegate.api.EnvironmentException;
import dev.releasegate.evidence.Json;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.ImageReference;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.spi.StageResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the image under release from the registry by digest (manifest, config, then every layer as a
 * stream through a temporary file) and writes a CycloneDX SBOM of what is in it. The statement's
 * predicate is the BOM itself, as {@code cosign attest --type cyclonedx} makes it.
 *
 * <p>Every layer is checked against its diff_id in the image config, so the SBOM describes exactly
 * the image its statement names. A registry that cannot be read, a layer that is not a tar archive,
 * or a BOM that does not validate fails the stage: it never attests an SBOM it is not sure of.
 */
final class CycloneDxStage implements Stage {
  /** Image configs are a few kilobytes; a larger one is not an image config. */
  static final long MAX_CONFIG = 8 << 20;
  static final String DEFAULT_APP_ROOT = "/app";

  private final StageOptions options;

  CycloneDxStage(StageOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    RegistryAccess registry = RegistryAccess.open(image.repository(), RegistrySettings.of(context));

    context.progress("reading the manifest of " + image);
    ManifestAndDigest<ManifestTemplate> pulled = registry.manifest(image.digest());
    if (!pulled.getDigest().toString().equals(image.digest())) {
      throw new EnvironmentException("registry " + registry.host() + " answered " + image + " with manifest " + pulled.getDigest());
    }
    if (!(pulled.getManifest() instanceof BuildableManifestTemplate manifest)) {
      throw new EnvironmentException(image + " is not a single-platform image manifest (" + pulled.getManifest().getManifestMediaType()
          + "); the SBOM stage reads one image, not an index");
    }
    String configDigest = manifest.getContainerConfiguration().getDigest().toString();
    ImageConfig config;
    try {
      config = ImageConfig.parse(registry.readBlob(configDigest, MAX_CONFIG));
    } catch (IOException e) {
      throw new EnvironmentException("the config " + configDigest + " of " + image + " is not a valid image config: " + e.getMessage(), e);
    }
    List<BuildableManifestTemplate.ContentDescriptorTemplate> layers = manifest.getLayers();
    if (layers.size() != config.diffIds().size()) {
      throw new EnvironmentException(image + " has " + layers.size() + " layers but its config lists " + config.diffIds().size() + " diff_ids");
    }

    ImageFiles files = new ImageFiles(appRoot(config));
    for (int i = 0; i < layers.size(); i++) {
      String digest = layers.get(i).getDigest().toString();
      context.progress("reading layer " + (i + 1) + "/" + layers.size() + " " + digest + " (" + megabytes(layers.get(i).getSize()) + ")");
      String diffId;
      try (InputStream blob = registry.openBlob(digest)) {
        diffId = files.applyBlob(i, blob);
      } catch (IOException e) {
        throw new EnvironmentException("layer " + digest + " of " + image + " is not a valid tar.gz: " + e.getMessage(), e);
      }
      if (!diffId.equals(config.diffIds().get(i))) {
        throw new EnvironmentException("layer " + digest + " of " + image + " unpacks to " + diffId + ", but the image config says "
            + config.diffIds().get(i));
      }
    }

    context.progress("writing the SBOM");
    SbomBuilder.Sbom sbom = new SbomBuilder(image, configDigest, config, files, context.git().commitTime(), ToolVersion.get()).build();
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

  /** The option, else the image's working directory (jib sets it to its appRoot), else /app. */
  private String appRoot(ImageConfig config) {
    String workingDir = config.workingDir();
    return options.findString("appRoot")
        .orElse(workingDir.startsWith("/") && !ImageFiles.normalize(workingDir).equals("/") ? workingDir : DEFAULT_APP_ROOT);
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

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
  }
}
