package dev.releasegate.stages.trivy;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What trivy scans: the image by digest in its registry, the OCI layout a dry run kept it in, or the
 * SBOM an earlier stage published.
 *
 * @param image the image the report must be about, whatever is scanned
 * @param layout the OCI layout of a dry run; never for an SBOM scan
 * @param target what trivy is given: the image reference, the layout's folder or the SBOM file
 * @param insecure {@code --insecure}: plain HTTP and no TLS checks for the image's registry
 */
record ScanTarget(ImageReference image, boolean sbomMode, Optional<Path> layout, String target, boolean insecure) {

  ScanTarget {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(target, "target");
    if (sbomMode && (layout.isPresent() || insecure)) {
      throw new IllegalArgumentException("an SBOM scan reads no image");
    }
  }

  static ScanTarget of(StageContext context, ImageReference image, boolean sbomMode, List<String> warnings) {
    // In a dry run the image is on this machine only, in the OCI layout the build kept it in.
    Optional<Path> layout = sbomMode ? Optional.empty() : context.findOutput(Outputs.IMAGE_LAYOUT);
    String target = sbomMode ? sbomFile(context) : layout.map(Path::toString).orElse(image.toString());
    boolean insecure = !sbomMode && layout.isEmpty() && insecure(context, image, warnings);
    return new ScanTarget(image, sbomMode, layout, target, insecure);
  }

  /** The trivy subcommand, also the scan's mode in the evidence. */
  String subcommand() {
    return sbomMode ? "sbom" : "image";
  }

  private static String sbomFile(StageContext context) {
    Path sbom = context.projectDirectory().toAbsolutePath().resolve(context.output(Outputs.SBOM)).normalize();
    if (!Files.isRegularFile(sbom)) {
      throw new EnvironmentException("the SBOM " + sbom + " that an earlier stage published does not exist");
    }
    return sbom.toString();
  }

  /** {@code --insecure} (plain HTTP, no TLS checks) only when asked for and only for a loopback registry. */
  private static boolean insecure(StageContext context, ImageReference image, List<String> warnings) {
    if (!context.image().insecureRegistry()) {
      return false;
    }
    String host = RegistryAccess.hostOf(image.repository());
    if (RegistryAccess.isLoopback(host)) {
      return true;
    }
    warnings.add("--insecure-registry is not passed to trivy for " + host + ": only loopback registries are scanned without TLS");
    return false;
  }
}
