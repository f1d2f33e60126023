package dev.releasegate.stages.jib;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.image.OciLayout;
import dev.releasegate.process.ProjectPaths;
import dev.releasegate.process.StageCommand;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.registry.Retry;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Builds the image with jib-core and stores it in the registry by digest only.
 *
 * <p>Why by digest: every later gate (SBOM, scan, lint, smoke) must look at the very bytes that will
 * be released, and no tag may exist before they all pass (invariants 1 and 2). Jib pushes a manifest
 * to its target's qualifier, so the image is built twice from the same inputs: first into a tar, which
 * yields the digest without touching the registry, then to {@code repository@digest}, which uploads the
 * blobs and puts the manifest under its own digest. The build is reproducible, so both digests agree;
 * if they ever do not, the stage fails rather than release bytes nobody built twice.
 */
final class JibStage implements Stage {
  /** Bytes of one jar entry searched for secrets; more than any properties file or class holds. */
  private static final int MAX_ENTRY_SCANNED = 16 * 1024 * 1024;
  private static final Set<String> COMPUTED_LABELS =
      Set.of("revision", "source", "created", "version", "base.name", "base.digest").stream()
          .map(name -> "org.opencontainers.image." + name)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** Jib's default file time (epoch + 1 s; epoch itself is read as "unset" by some tools). */
  static final Instant FILE_TIME = Instant.ofEpochSecond(1);

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
    Instant time = reproducibleTime(context);
    Path project = context.projectDirectory();
    Optional<Path> layout = context.dryRunImageLayout();
    if (layout.isPresent() && options.format() != ImageFormat.OCI) {
      throw new InvalidInputException("a dry run keeps the image as an OCI image layout, so the jib stage must build format: OCI, not "
          + options.format());
    }

    StageCommand.Outcome build;
    try {
      context.progress("building the project");
      build = StageCommand.run(context, options.buildCommand(), project, Map.of(), options.timeout(), "build.log");
    } catch (IOException e) {
      throw new EnvironmentException("jib stage cannot write its evidence: " + e.getMessage(), e);
    }
    if (build.result().timedOut() || build.result().exitCode() != 0 || build.leftBehindMessage().isPresent()) {
      String why = build.result().timedOut()
          ? "the build timed out after " + options.timeout().toSeconds() + " s"
          : build.result().exitCode() != 0 ? "the build exited with " + build.result().exitCode() : "the build " + build.leftBehindMessage().get();
      return StageResult.rejected(why + " (" + String.join(" ", options.buildCommand()) + ")")
          .predicate(provenance(context, base, null, List.of(), started, build))
          .build();
    }

    Path classes = ProjectPaths.inside(project, options.classes(), "classes");
    if (!Files.isDirectory(classes)) {
      throw new InvalidInputException("the build left no " + options.classes() + "; set 'classes' in the jib stage to where the build writes classes");
    }
    List<Path> dependencies = jars(ProjectPaths.inside(project, options.dependencies(), "dependencies"));
    String mainClass = MainClasses.find(options.mainClass(), classes.getParent());
    Optional<String> leaked = secretInImage(context, project, classes, dependencies);
    if (leaked.isPresent()) {
      return StageResult.rejected(leaked.get() + ": a secret of the release must never go into the image")
          .predicate(provenance(context, base, null, List.of(), started, build))
          .build();
    }

    RegistrySettings settings = StageRegistries.settings(context);
    RegistryAccess baseAccess = RegistryAccess.open(base.repository(), settings);
    context.progress("resolving base image " + base);
    String baseDigest = baseAccess.digestOf(base.qualifier()).orElseThrow(() ->
        new EnvironmentException("base image " + base + " not found in registry " + baseAccess.host()));
    RegistryAccess target = RegistryAccess.open(repository, settings);

    Path cache = cacheDirectory(context);
    Path tar = null;
    String digest;
    try {
      tar = Files.createTempFile("releasegate-image", ".tar");
      Path tarFile = tar;
      context.progress("assembling the image");
      JibContainer local = containerize(context, base, baseDigest, baseAccess, mainClass, classes, dependencies, time,
          Containerizer.to(TarImage.at(tarFile).named(repository)), cache);
      digest = local.getDigest().toString();
      if (layout.isPresent()) {
        context.progress("keeping " + repository + "@" + digest + " in " + layout.get() + " (a dry run pushes nothing)");
        String kept;
        try {
          kept = OciLayout.unpack(tarFile, layout.get());
        } catch (IOException e) {
          throw new EnvironmentException("cannot keep the image in " + layout.get() + ": " + e.getMessage(), e);
        }
        if (!kept.equals(digest)) {
          throw new EnvironmentException("jib built " + digest + " but its OCI layout names " + kept);
        }
        return built(context, new ImageReference(repository, digest), base, baseDigest, mainClass, dependencies, started, build)
            .output(Outputs.IMAGE_LAYOUT, layout.get())
            .build();
      }
      context.progress("pushing " + repository + "@" + digest + " (by digest, no tag)");
      RegistryImage byDigest = RegistryImage.named(repository + "@" + digest).addCredentialRetriever(target.credentialRetriever());
      JibContainer pushed = Retry.standard(context::log).forWholePush().run("push " + repository + "@" + digest, () -> containerize(context, base,
          baseDigest, baseAccess, mainClass, classes, dependencies, time, Containerizer.to(byDigest), cache));
      if (!pushed.getDigest().toString().equals(digest)) {
        throw new EnvironmentException("the image is not reproducible: the local build is " + digest + " but the pushed one is " + pushed.getDigest());
      }
    } catch (IOException | RegistryException e) {
      throw target.failure("push the image " + repository, e);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException("not an image reference: " + e.getMessage(), e);
    } finally {
      deleteQuietly(tar);
    }
    if (target.digestOf(digest).isEmpty()) {
      throw new EnvironmentException("registry " + target.host() + " does not have " + repository + "@" + digest + " after the push");
    }

    return built(context, new ImageReference(repository, digest), base, baseDigest, mainClass, dependencies, started, build).build();
  }

  private StageResult.Builder built(StageContext context, ImageReference image, WrittenReference base, String baseDigest, String mainClass,
      List<Path> dependencies, Instant started, StageCommand.Outcome build) {
    ObjectNode predicate = provenance(context, base, baseDigest, dependencies, started, build);
    predicate.with("buildDefinition").with("internalParameters").put("mainClass", mainClass);
    return StageResult.passed("built " + image + " on " + base.repository() + "@" + baseDigest
            + (context.dryRunImageLayout().isPresent() ? ", kept on this machine (dry run)" : ""))
        .output(Outputs.IMAGE, image)
        .predicate(predicate);
  }

  /**
   * The first file bound for the image that holds one of the run's secrets (in any form), named with
   * the secret's variable; jars are read entry by entry, as their contents are compressed.
   */
  private static Optional<String> secretInImage(StageContext context, Path project, Path classes, List<Path> dependencies) {
    try {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(classes)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : files) {
        Optional<String> secret = context.secretIn(Files.readAllBytes(file));
        if (secret.isPresent()) {
          return Optional.of(project.relativize(file) + " holds " + secret.get());
        }
      }
      for (Path jar : dependencies) {
        try (java.util.zip.ZipInputStream entries = new java.util.zip.ZipInputStream(Files.newInputStream(jar))) {
          for (java.util.zip.ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
            Optional<String> secret = context.secretIn(entries.readNBytes(MAX_ENTRY_SCANNED));
            if (secret.isPresent()) {
              return Optional.of(project.relativize(jar) + "!/" + entry.getName() + " holds " + secret.get());
            }
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new EnvironmentException("cannot read what goes into the image: " + e.getMessage(), e);
    }
  }

  /** Assembles the image as Jib lays out Java apps, then containerizes it; unwraps jib's exceptions for retries. */
  private JibContainer containerize(
      StageContext context, WrittenReference base, String baseDigest, RegistryAccess baseAccess, String mainClass, Path classes,
      List<Path> dependencies, Instant time, Containerizer containerizer, Path cache)
      throws IOException, RegistryException, InterruptedException {
    try {
      JibContainerBuilder builder = javaContainer(context, base, baseDigest, baseAccess, mainClass, classes, dependencies, time);
      containerizer
          .setAllowInsecureRegistries(context.image().insecureRegistry())
          .setBaseImageLayersCache(cache.resolve("base"))
          .setApplicationLayersCache(cache.resolve("application"))
          .setToolName("releasegate")
          .setToolVersion(ToolVersion.get())
          .addEventHandler(LogEvent.class, event -> {
            if (!RegistryAccess.isExpectedFailover(context.image().insecureRegistry(), event.getMessage())) {
              log(context, event);
            }
          })
          .addEventHandler(ProgressEvent.class, new ProgressReporter(context)::on);
      return builder.containerize(containerizer);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RegistryException registry) {
        throw registry;
      }
      throw new EnvironmentException("jib failed: " + cause, cause);
    } catch (CacheDirectoryCreationException e) {
      throw new EnvironmentException("cannot create jib's cache in " + cache + ": " + e.getMessage(), e);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException("not an image reference: " + e.getMessage(), e);
    }
  }

  private JibContainerBuilder javaContainer(
      StageContext context, WrittenReference base, String baseDigest, RegistryAccess baseAccess, String mainClass, Path classes,
      List<Path> dependencies, Instant time) throws IOException, InvalidImageReferenceException {
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    for (Path jar : dependencies) {
      (isSnapshot(jar) ? snapshots : releases).add(jar);
    }
    JavaContainerBuilder java =
        JavaContainerBuilder.from(RegistryImage.named(base.repository() + "@" + baseDigest).addCredentialRetriever(baseAccess.credentialRetriever()))
            .setAppRoot(options.appRoot())
            // Files carry Jib's constant time, not the commit's: with the commit time every layer
            // would change on every commit, and a one-line change must touch only the classes layer.
            // The image's own creation time (and label) is still the commit's.
            .setModificationTimeProvider((source, destination) -> FILE_TIME)
            .addResources(classes, path -> !path.toString().endsWith(".class"))
            .addClasses(classes, path -> path.toString().endsWith(".class"))
            .addJvmFlags(options.jvmFlags())
            .setMainClass(mainClass);
    if (!releases.isEmpty()) {
      java.addDependencies(releases);
    }
    if (!snapshots.isEmpty()) {
      java.addSnapshotDependencies(snapshots);
    }
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("RELEASE_REVISION", context.git().commit());
    environment.put("RELEASE_VERSION", context.version());
    environment.putAll(options.environment());
    return java.toContainerBuilder()
        .setCreationTime(time)
        .setFormat(options.format())
        .setUser(options.user())
        .setWorkingDirectory(AbsoluteUnixPath.get(options.appRoot()))
        .setExposedPorts(options.exposedPorts())
        .setEnvironment(environment)
        .setLabels(labels(context, base, baseDigest, time));
  }

  private Map<String, String> labels(StageContext context, WrittenReference base, String baseDigest, Instant time) {
    String prefix = "org.opencontainers.image.";
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(prefix + "revision", context.git().commit());
    context.git().source().ifPresent(source -> labels.put(prefix + "source", source));
    labels.put(prefix + "created", time.toString());
    labels.put(prefix + "version", context.version());
    String repository = context.image().repository().orElseThrow();
    labels.put(prefix + "title", options.title().orElse(repository.substring(repository.lastIndexOf('/') + 1)));
    labels.put(prefix + "base.name", base.repository() + base.tag().map(tag -> ":" + tag).orElse(""));
    labels.put(prefix + "base.digest", baseDigest);
    for (Map.Entry<String, String> extra : context.image().labels().entrySet()) {
      if (COMPUTED_LABELS.contains(extra.getKey())) {
        throw new InvalidInputException("image.labels must not set " + extra.getKey() + "; releasegate derives it from git and the build");
      }
      labels.put(extra.getKey(), extra.getValue());
    }
    return labels;
  }

  /** SLSA provenance v1 of the image. */
  private ObjectNode provenance(
      StageContext context, WrittenReference base, String baseDigest, List<Path> dependencies, Instant started, StageCommand.Outcome build) {
    ObjectNode predicate = Json.object();
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", "https://releasegate.dev/buildtypes/jib-java/v1");
    ObjectNode external = definition.putObject("externalParameters");
    external.putObject("pipeline").put("uri", context.pipeline().location()).putObject("digest").put("sha256", context.pipeline().sha256());
    external.put("image", context.image().repository().orElseThrow());
    external.put("version", context.version());
    external.put("base", base.toString());
    options.buildCommand().forEach(external.putArray("buildCommand")::add);
    ObjectNode internal = definition.putObject("internalParameters");
    options.jvmFlags().forEach(internal.putArray("jvmFlags")::add);
    options.ports().forEach(internal.putArray("ports")::add);
    internal.put("user", options.user());
    internal.put("appRoot", options.appRoot());
    internal.put("format", options.format().name());
    ArrayNode resolved = definition.putArray("resolvedDependencies");
    GitFacts git = context.git();
    ObjectNode source = resolved.addObject().put("uri", git.source().map(url -> "git+" + url).orElse("git") + "@" + git.commit());
    source.putObject("digest").put("gitCommit", git.commit());
    if (baseDigest != null) {
      ObjectNode baseImage = resolved.addObject().put("uri", "oci://" + base.repository() + "@" + baseDigest).put("name", base.toString());
      baseImage.putObject("digest").put("sha256", baseDigest.substring("sha256:".length()));
    }
    for (Path jar : dependencies) {
      ObjectNode entry = resolved.addObject().put("name", jar.getFileName().toString());
      try {
        entry.putObject("digest").put("sha256", Digests.sha256Hex(jar));
      } catch (IOException e) {
        throw new EnvironmentException("cannot hash " + jar + ": " + e.getMessage(), e);
      }
    }
    internal.put("releasegateRunId", context.runId());
    context.ci().ifPresent(ci -> {
      ObjectNode node = internal.putObject("ci").put("system", ci.system());
      ci.url().ifPresent(url -> node.put("url", url));
      ci.facts().forEach(node.putObject("facts")::put);
    });
    ObjectNode details = predicate.putObject("runDetails");
    ObjectNode builder = details.putObject("builder").put("id", "https://releasegate.dev/releasegate@" + ToolVersion.get());
    builder.putObject("version").put("releasegate", ToolVersion.get()).put("jib-core", ToolVersion.jib());
    context.ci().filter(ci -> ci.facts().containsKey("GITHUB_WORKFLOW_REF")).ifPresent(ci -> {
      // The workflow that ran releasegate is part of the builder, as GitHub's own SLSA generator records it.
      ObjectNode workflow = builder.putArray("builderDependencies").addObject()
          .put("uri", "git+https://github.com/" + ci.facts().get("GITHUB_WORKFLOW_REF"));
      if (ci.facts().containsKey("GITHUB_SHA")) {
        workflow.putObject("digest").put("gitCommit", ci.facts().get("GITHUB_SHA"));
      }
    });
    details.putObject("metadata")
        // A CI run's URL identifies the invocation for anyone reading the provenance; else our run id.
        .put("invocationId", context.ci().flatMap(ci -> ci.url()).orElse(context.runId()))
        .put("startedOn", started.toString())
        .put("finishedOn", context.clock().instant().toString());
    details.putArray("byproducts").add(build.log().descriptor());
    return predicate;
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

  private static List<Path> jars(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(path -> path.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new EnvironmentException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Maven snapshot jars: -SNAPSHOT, or the timestamped form a remote snapshot resolves to. */
  static boolean isSnapshot(Path jar) {
    String name = jar.getFileName().toString();
    return name.contains("-SNAPSHOT") || name.matches(".*-\\d{8}\\.\\d{6}-\\d+(-[^-]+)?\\.jar");
  }

  private static Path cacheDirectory(StageContext context) {
    Map<String, String> environment = context.environment();
    String xdg = environment.get("XDG_CACHE_HOME");
    Path root = xdg != null && !xdg.isBlank()
        ? Path.of(xdg)
        : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".cache");
    return root.resolve("releasegate").resolve("jib");
  }

  private static void log(StageContext context, LogEvent event) {
    switch (event.getLevel()) {
      case ERROR, WARN, LIFECYCLE -> context.log("jib: " + event.getMessage().replaceAll("\u001B\\[[;\\d]*m", ""));
      default -> { }
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

  /** Turns jib's progress allocations into a percentage on the status line, at most every 5 %. */
  private static final class ProgressReporter {
    private final StageContext context;
    private double done;
    private long shown = -1;

    ProgressReporter(StageContext context) {
      this.context = context;
    }

    synchronized void on(ProgressEvent event) {
      done += event.getUnits() * event.getAllocation().getFractionOfRoot() / event.getAllocation().getAllocationUnits();
      long percent = Math.min(100, Math.round(done * 100));
      if (percent / 5 != shown / 5) {
        shown = percent;
        context.progress("jib " + percent + "%");
      }
    }
  }
}
