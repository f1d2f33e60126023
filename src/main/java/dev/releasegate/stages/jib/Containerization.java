package dev.releasegate.stages.jib;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * The image as jib lays out a Java app, on a resolved base, and its containerizing (into a tar: the
 * stage pushes the tar's bytes itself).
 */
final class Containerization {
  /** Jib's default file time (epoch + 1 s; epoch itself is read as "unset" by some tools). */
  static final Instant FILE_TIME = Instant.ofEpochSecond(1);
  private static final String LABEL_PREFIX = "org.opencontainers.image.";
  private static final Set<String> COMPUTED_LABELS =
      Set.of("revision", "source", "created", "version", "base.name", "base.digest").stream()
          .map(name -> LABEL_PREFIX + name)
          .collect(Collectors.toUnmodifiableSet());

  private final StageContext context;
  private final JibOptions options;
  private final BaseImage base;
  private final AppFiles app;
  private final Instant time;
  private final Path cache;

  /** @param time the image's creation time: SOURCE_DATE_EPOCH or the commit's */
  Containerization(StageContext context, JibOptions options, BaseImage base, AppFiles app, Instant time) {
    this.context = context;
    this.options = options;
    this.base = base;
    this.app = app;
    this.time = time;
    this.cache = cacheDirectory(context);
  }

  /** OCI or Docker: what the tar holds. */
  ImageFormat format() {
    return options.format();
  }

  /** Assembles the image, then containerizes it; unwraps jib's exceptions into the I/O or registry failure they are. */
  JibContainer containerize(Containerizer containerizer) throws IOException, RegistryException, InterruptedException {
    try {
      JibContainerBuilder builder = javaContainer();
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

  private JibContainerBuilder javaContainer() throws IOException, InvalidImageReferenceException {
    JavaContainerBuilder java = JavaContainerBuilder.from(RegistryImage.named(base.pinned())
            .addCredentialRetriever(base.access().credentialRetriever()))
        .setAppRoot(options.appRoot())
        // Files carry Jib's constant time, not the commit's: with the commit time every layer
        // would change on every commit, and a one-line change must touch only the classes layer.
        // The image's own creation time (and label) is still the commit's.
        .setModificationTimeProvider((source, destination) -> FILE_TIME)
        .addResources(app.classes(), path -> !path.toString().endsWith(".class"))
        .addClasses(app.classes(), path -> path.toString().endsWith(".class"))
        .addJvmFlags(options.jvmFlags())
        .setMainClass(app.mainClass());
    addDependencies(java, app.dependencies());
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
        .setLabels(labels());
  }

  /** Snapshots in a layer of their own: they change between builds of one version, releases do not. */
  private static void addDependencies(JavaContainerBuilder java, List<Path> dependencies) throws IOException {
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    for (Path jar : dependencies) {
      (isSnapshot(jar) ? snapshots : releases).add(jar);
    }
    if (!releases.isEmpty()) {
      java.addDependencies(releases);
    }
    if (!snapshots.isEmpty()) {
      java.addSnapshotDependencies(snapshots);
    }
  }

  private Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_PREFIX + "revision", context.git().commit());
    context.git().source().ifPresent(source -> labels.put(LABEL_PREFIX + "source", source));
    labels.put(LABEL_PREFIX + "created", time.toString());
    labels.put(LABEL_PREFIX + "version", context.version());
    String repository = context.image().repository().orElseThrow();
    labels.put(LABEL_PREFIX + "title", options.title().orElse(repository.substring(repository.lastIndexOf('/') + 1)));
    labels.put(LABEL_PREFIX + "base.name", base.reference().repository() + base.reference().tag().map(tag -> ":" + tag).orElse(""));
    labels.put(LABEL_PREFIX + "base.digest", base.digest());
    for (Map.Entry<String, String> extra : context.image().labels().entrySet()) {
      if (COMPUTED_LABELS.contains(extra.getKey())) {
        throw new InvalidInputException("image.labels must not set " + extra.getKey() + "; releasegate derives it from git and the build");
      }
      labels.put(extra.getKey(), extra.getValue());
    }
    return labels;
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
