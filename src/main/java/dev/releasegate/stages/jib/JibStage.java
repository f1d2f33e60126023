package dev.releasegate.stages.jib;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Futures;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.image.OciLayout;
import dev.releasegate.process.StageCommand;
import dev.releasegate.process.Subprocess;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * Builds the image with jib-core and stores it in the registry by digest only.
 *
 * <p>Why by digest: every later gate (SBOM, scan, lint, smoke) must look at the very bytes that will
 * be released, and no tag may exist before they all pass (invariants 1 and 2). Jib would push a
 * manifest to its target's qualifier, a tag unless the digest is known beforehand, so the image is built
 * once, into a tar, which yields the digest without touching the registry; then the tar's own blobs and
 * manifest are pushed ({@link BuiltImage}), the manifest under its digest. The build is reproducible
 * (another build of the same commit gives the same digest), but the bytes released are the ones built.
 *
 * <p>What goes into the image is {@link AppFiles} and {@link BaseImage}, assembling it {@link
 * Containerization}'s job and the statement {@link Provenance}'s; this class runs the build and stores
 * the image.
 */
final class JibStage implements Stage {
  private final JibOptions options;

  JibStage(JibOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    Instant started = context.clock().instant();
    String repository = context.image().repository()
        .orElseThrow(() -> new InvalidInputException("no image repository", Remedy.GIVE_IMAGE_REPOSITORY));
    WrittenReference base = WrittenReference.parse(context.image().base()
        .orElseThrow(() -> new InvalidInputException("no base image", Remedy.GIVE_BASE_IMAGE)));
    // Before the build: a bad SOURCE_DATE_EPOCH or format is the pipeline's to fix, whatever the build does.
    Instant time = reproducibleTime(context);
    Optional<Path> layout = context.dryRunImageLayout();
    if (layout.isPresent() && options.format() != ImageFormat.OCI) {
      throw new InvalidInputException("a dry run keeps the image as an OCI image layout, so the jib stage must build format: OCI, not "
          + options.format());
    }
    // A build earlier in this run (the test stage's, or the one that runs releasegate) is what the image is made of.
    Optional<BuildOutputs> built = context.findOutput(Outputs.BUILD);
    List<String> command = built.isPresent() ? List.of() : options.buildCommand();
    RegistrySettings settings = StageRegistries.settings(context);
    // The registry's answer does not depend on the build, so the base image is resolved while it runs.
    Future<BaseImage> resolving = Futures.begin("releasegate-base-image", () -> BaseImage.resolve(context, base, settings));
    BaseImage resolved;
    AppFiles app;
    StageCommand.Outcome build;
    Provenance provenance;
    try {
      build = built.isPresent() ? builtEarlier(context) : runBuild(context);
      provenance = new Provenance(context, options, command, base, started, build);
      Optional<String> failed = failure(build);
      if (failed.isPresent()) {
        return StageResult.rejected(failed.get() + " (" + String.join(" ", command) + ")").predicate(provenance.unbuilt()).build();
      }
      app = built.map(outputs -> AppFiles.of(context.projectDirectory(), outputs, options)).orElseGet(() -> AppFiles.find(context.projectDirectory(), options));
      Optional<String> leaked = app.secretIn(context);
      if (leaked.isPresent()) {
        return StageResult.rejected(leaked.get() + ": a secret of the release must never go into the image").predicate(provenance.unbuilt()).build();
      }
      resolved = Futures.await(resolving, thrown -> new IllegalStateException("resolving the base image failed", thrown));
    } finally {
      resolving.cancel(true);
    }
    RegistryAccess target = RegistryAccess.open(repository, settings);
    Stored stored = store(context, new Containerization(context, options, resolved, app, time), repository, target, resolved.access());
    String digest = stored.digest();
    PhaseTimes times = new PhaseTimes(built.isPresent() ? Optional.empty() : Optional.of(build.result().duration()), stored.containerize(), stored.store(), stored.pushed());
    context.progress(times.summary());
    StageResult.Builder result = StageResult.passed("built " + repository + "@" + digest + " on " + resolved.pinned()
            + (layout.isPresent() ? ", kept on this machine (dry run)" : ""))
        .output(Outputs.IMAGE, new ImageReference(repository, digest))
        .predicate(provenance.built(resolved, app, times));
    layout.ifPresent(folder -> result.output(Outputs.IMAGE_LAYOUT, folder));
    return result.build();
  }

  private StageCommand.Outcome runBuild(StageContext context) throws InterruptedException {
    try {
      context.progress("building the project");
      return StageCommand.run(context, options.buildCommand(), context.projectDirectory(), Map.of(), options.timeout(), "build.log");
    } catch (IOException e) {
      throw new EnvironmentException("jib stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  /** The build log of an image made of an earlier build's output: it says where that build is recorded. */
  private static StageCommand.Outcome builtEarlier(StageContext context) {
    try {
      context.progress("taking the classes and jars this run's build wrote");
      return new StageCommand.Outcome(new Subprocess.Result(0, false, Duration.ZERO), context.artifacts().write("build.log",
          "built earlier in this run (the test stage's command, or the build that runs this release); nothing was built again\n"
              .getBytes(StandardCharsets.UTF_8)), List.of());
    } catch (IOException e) {
      throw new EnvironmentException("jib stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  /** Why the build does not count, if it does not: a timeout, a non-zero exit or processes it left behind. */
  private Optional<String> failure(StageCommand.Outcome build) {
    if (build.result().timedOut()) {
      return Optional.of("the build timed out after " + options.timeout().toSeconds() + " s");
    }
    if (build.result().exitCode() != 0) {
      return Optional.of("the build exited with " + build.result().exitCode());
    }
    return build.leftBehindMessage().map(message -> "the build " + message);
  }

  /** The digest of the image stored, and how long its phases took. */
  private record Stored(String digest, Duration containerize, Duration store, Optional<RegistryAccess.Pushed> pushed) {}

  /**
   * Builds the image once, into a tar, which yields its digest without touching the registry, then
   * keeps it in the dry run's layout or pushes exactly its bytes by digest.
   */
  private static Stored store(StageContext context, Containerization image, String repository, RegistryAccess target,
      RegistryAccess base) throws InterruptedException {
    Optional<Path> layout = context.dryRunImageLayout();
    Path tar = null;
    String digest;
    Duration containerize;
    long stored;
    Optional<RegistryAccess.Pushed> pushed = Optional.empty();
    try {
      tar = Files.createTempFile("releasegate-image", ".tar");
      context.progress("assembling the image");
      long started = System.nanoTime();
      digest = image.containerize(Containerizer.to(TarImage.at(tar).named(repository))).getDigest().toString();
      containerize = Duration.ofNanos(System.nanoTime() - started);
      stored = System.nanoTime();
      if (layout.isPresent()) {
        keep(context, tar, layout.get(), repository, digest);
      } else {
        pushed = Optional.of(push(context, tar, image.format(), repository, digest, target, base));
      }
    } catch (IOException | RegistryException e) {
      throw target.failure("push the image " + repository, e);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException("not an image reference: " + e.getMessage(), e);
    } finally {
      deleteQuietly(tar);
    }
    if (layout.isEmpty() && target.digestOf(digest).isEmpty()) {
      throw new EnvironmentException("registry " + target.host() + " does not have " + repository + "@" + digest + " after the push");
    }
    return new Stored(digest, containerize, Duration.ofNanos(System.nanoTime() - stored), pushed);
  }

  /** A dry run keeps the image on this machine: the layout must hold the digest the tar build yielded. */
  private static void keep(StageContext context, Path tar, Path layout, String repository, String digest) {
    context.progress("keeping " + repository + "@" + digest + " in " + layout + " (a dry run pushes nothing)");
    String kept;
    try {
      kept = OciLayout.unpack(tar, layout);
    } catch (IOException e) {
      throw new EnvironmentException("cannot keep the image in " + layout + ": " + e.getMessage(), e);
    }
    if (!kept.equals(digest)) {
      throw new EnvironmentException("jib built " + digest + " but its OCI layout names " + kept);
    }
  }

  /**
   * Pushes the tar's own blobs and manifest, so the registry holds the bytes that were built: blobs the
   * registry lacks are streamed from the tar (the base image's are mounted from its repository when it is
   * on the same registry), then the manifest goes under its digest, and no tag anywhere.
   */
  private static RegistryAccess.Pushed push(StageContext context, Path tar, ImageFormat format, String repository, String digest,
      RegistryAccess target, RegistryAccess base) throws IOException, InterruptedException {
    context.progress("pushing " + repository + "@" + digest + " (by digest, no tag)");
    BuiltImage built;
    try {
      built = BuiltImage.open(tar, format, digest);
    } catch (IOException e) {
      throw new EnvironmentException("cannot read the image jib built: " + e.getMessage(), e);
    }
    try (built) {
      return target.pushByDigest(built.manifest(), built.mediaType(), built.blobs(), Optional.of(base));
    }
  }

  /** SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the commit time. */
  private static Instant reproducibleTime(StageContext context) {
    String epoch = context.environment().get("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      return context.git().commitTime();
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("SOURCE_DATE_EPOCH must be a number of seconds, got '" + epoch + "'");
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // A temporary file; the OS cleans its temp folder.
      }
    }
  }
}
