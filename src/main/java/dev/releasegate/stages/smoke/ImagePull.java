package dev.releasegate.stages.smoke;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.image.OciLayout;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Gives the runtime the image under release: pulled by digest unless it has it already (a digest names
 * immutable content, so a local copy is the same bytes), or in a dry run loaded from the OCI layout the
 * image was kept in.
 */
final class ImagePull {
  /**
   * What the runtime runs and how it came to have it.
   *
   * @param runnable the image by digest, or in a dry run the id of the image loaded from its layout
   * @param pulled false when the runtime had the image already
   * @param millis how long the pull or the load took; 0 when there was none
   */
  record Pulled(String runnable, boolean pulled, long millis) {}

  private final ContainerRuntime runtime;
  private final StageContext context;
  private final ImageReference image;
  private final Duration timeout;
  private final Consumer<String> warnings;

  ImagePull(ContainerRuntime runtime, StageContext context, Duration timeout, Consumer<String> warnings) {
    this.runtime = runtime;
    this.context = context;
    this.image = context.output(Outputs.IMAGE);
    this.timeout = timeout;
    this.warnings = warnings;
  }

  Pulled pull() throws InterruptedException {
    Optional<Path> layout = context.findOutput(Outputs.IMAGE_LAYOUT);
    if (layout.isPresent()) {
      return load(layout.get());
    }
    if (runtime.run(runtime.imageInspect(image.toString())).ok()) {
      return new Pulled(image.toString(), false, 0);
    }
    String reference = image.toString();
    long mark = System.nanoTime();
    context.progress("pulling " + reference);
    ContainerRuntime.Result pull = runtime.run(runtime.pull(reference, plainHttp()), Map.of(), timeout);
    if (pull.timedOut()) {
      throw new EnvironmentException(runtime.name() + " did not pull " + reference + " within " + timeout.toSeconds() + " s");
    }
    if (!pull.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot pull " + reference + ": " + context.redact(pull.error()));
    }
    return new Pulled(reference, true, Timing.millisSince(mark));
  }

  /**
   * A dry run's image, from the OCI layout it was kept in (podman's {@code oci:} transport; docker
   * has none): the image id podman gives it, checked to be the config the layout holds under our digest.
   */
  private Pulled load(Path layout) throws InterruptedException {
    if (runtime.kind() != ContainerRuntime.Kind.PODMAN) {
      throw new EnvironmentException("a dry run keeps the image in an OCI layout, which " + runtime.name()
          + " cannot run; smoke-test dry runs with podman (with: {runtime: podman})");
    }
    long mark = System.nanoTime();
    context.progress("loading " + image + " from " + layout);
    // podman names an image pulled from a layout after the layout's path, which must then be a valid
    // lowercase repository name; a link of such a name, made for the pull, stands in for any path.
    Path link = Path.of(System.getProperty("java.io.tmpdir"), "releasegate-oci-" + context.runId().toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9-]", "-") + "-" + context.stageName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
    if (!link.toAbsolutePath().toString().matches("/[a-z0-9._/-]+")) {
      throw new EnvironmentException("podman cannot name an image pulled from " + link + "; set java.io.tmpdir (TMPDIR) to a lowercase path");
    }
    ContainerRuntime.Result pull;
    try {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, layout.toAbsolutePath());
      pull = runtime.run(runtime.pull("oci:" + link.toAbsolutePath(), false), Map.of(), timeout);
    } catch (IOException e) {
      throw new EnvironmentException("cannot link " + layout + " for podman at " + link + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(link);
      } catch (IOException ignored) {
        // A dangling link in the temp folder; the next dry run of this name replaces it.
      }
    }
    if (pull.timedOut() || !pull.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot load " + image + " from " + layout + ": "
          + (pull.timedOut() ? "no answer within " + timeout.toSeconds() + " s" : context.redact(pull.error())));
    }
    String id = pull.stdout().strip();
    String config = OciLayout.open(layout).configDigest(image.digest());
    if (!config.equals("sha256:" + id)) {
      throw new EnvironmentException(runtime.name() + " loaded image " + id + " from " + layout + ", not the config " + config + " of " + image);
    }
    return new Pulled(id, true, Timing.millisSince(mark));
  }

  /** Plain HTTP only when asked for and only for a loopback registry. */
  private boolean plainHttp() {
    if (!context.image().insecureRegistry()) {
      return false;
    }
    String host = RegistryAccess.hostOf(image.repository());
    if (RegistryAccess.isLoopback(host)) {
      return true;
    }
    warnings.accept("--insecure-registry is not passed to " + runtime.name() + " for " + host
        + ": only loopback registries are pulled without TLS");
    return false;
  }
}
