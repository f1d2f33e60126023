package dev.releasegate.baseimage;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Assembles a distroless-style Java base image from a prepared root filesystem and pushes it with
 * jib-core. Three layers, bottom to top: the Debian packages, the jlinked runtime under {@link
 * #JAVA_HOME}, and a small layer with the users ({@code nonroot} = 65532), {@code /home/nonroot} and
 * {@code /tmp}. The runtime changes most often, the packages with Debian security updates, so each
 * can be replaced without re-pushing the others.
 *
 * <p>The image is reproducible: every file time and the creation time are {@code time}, owners are
 * fixed, entries are sorted, so the same rootfs gives the same digest.
 */
final class BaseImageBuilder {

  static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/java/openjdk");
  static final String NONROOT_UID = "65532";

  private static final String PASSWD =
      "root:x:0:0:root:/root:/sbin/nologin\n"
          + "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
          + "nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n";
  private static final String GROUP = "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n";
  // Without nsswitch.conf glibc asks DNS before /etc/hosts; "files dns" is what Debian installs.
  private static final String NSSWITCH =
      "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n"
          + "protocols: files\nservices: files\nethers: files\nrpc: files\n";

  private final Path rootfs;
  private final ImageReference target;
  private final boolean insecure;
  private final Instant time;
  private final String architecture;
  private final PrintStream log;

  BaseImageBuilder(
      Path rootfs,
      ImageReference target,
      boolean insecure,
      Instant time,
      String architecture,
      PrintStream log) {
    this.rootfs = rootfs;
    this.target = target;
    this.insecure = insecure;
    this.time = time;
    this.architecture = architecture;
    this.log = log;
  }

  /** Builds and pushes the image; returns it as {@code REGISTRY/REPOSITORY@sha256:…}. */
  String buildAndPush()
      throws IOException, InterruptedException, RegistryException, ExecutionException,
          CacheDirectoryCreationException {
    if (!Files.isDirectory(rootfs)) {
      throw new InvalidInputException("rootfs " + rootfs + " is not a directory");
    }
    String javaVersion = javaVersion();
    Path scratch = Files.createTempDirectory("releasegate-base-image");
    try {
      JibContainerBuilder image =
          Jib.fromScratch()
              .setFormat(ImageFormat.OCI)
              .setPlatforms(Set.of(new Platform(architecture, "linux")))
              .setCreationTime(time)
              .setUser(NONROOT_UID)
              .setWorkingDirectory(AbsoluteUnixPath.get("/home/nonroot"))
              .setEnvironment(environment())
              .setLabels(labels(javaVersion))
              .setFileEntriesLayers(layers(scratch.resolve("etc-layer")));

      Containerizer containerizer =
          Containerizer.to(RegistryImage.named(target))
              .setAllowInsecureRegistries(insecure)
              // Jib's default caches live in the user's home; this build needs nothing from them.
              .setBaseImageLayersCache(scratch.resolve("cache/base"))
              .setApplicationLayersCache(scratch.resolve("cache/application"))
              .setToolName("releasegate-base-image")
              .setToolVersion(toolVersion())
              .addEventHandler(LogEvent.class, this::logJibEvent);

      log.println("Pushing " + target + (insecure ? " (plain HTTP allowed)" : ""));
      JibContainer pushed = image.containerize(containerizer);
      return ImageReference.of(
              target.getRegistry(), target.getRepository(), null, pushed.getDigest().toString())
          .toString();
    } finally {
      deleteRecursively(scratch);
    }
  }

  private List<FileEntriesLayer> layers(Path etcStaging) throws IOException {
    RootfsLayers rootfsLayers = new RootfsLayers(rootfs, fileTime());

    RootfsLayers.Stats packageStats = new RootfsLayers.Stats();
    FileEntriesLayer packages =
        rootfsLayers.layer("debian packages", AbsoluteUnixPath.get("/"), Set.of(JAVA_HOME), packageStats);
    log.println("Layer 'debian packages': " + packageStats);

    RootfsLayers.Stats javaStats = new RootfsLayers.Stats();
    FileEntriesLayer java = rootfsLayers.layer("java runtime", JAVA_HOME, Set.of(), javaStats);
    log.println("Layer 'java runtime': " + javaStats);

    return List.of(packages, java, etcLayer(etcStaging));
  }

  /** Users, groups and the writable directories; written by us, not taken from the rootfs. */
  private FileEntriesLayer etcLayer(Path staging) throws IOException {
    Path etc = Files.createDirectories(staging.resolve("etc"));
    Path home = Files.createDirectories(staging.resolve("home/nonroot"));
    Path tmp = Files.createDirectories(staging.resolve("tmp"));
    Files.writeString(etc.resolve("passwd"), PASSWD, StandardCharsets.UTF_8);
    Files.writeString(etc.resolve("group"), GROUP, StandardCharsets.UTF_8);
    Files.writeString(etc.resolve("nsswitch.conf"), NSSWITCH, StandardCharsets.UTF_8);

    Instant mtime = fileTime();
    FileEntriesLayer layer =
        FileEntriesLayer.builder()
            .setName("users")
            .addEntry(entry(etc, "/etc", 0755, "0:0", mtime))
            .addEntry(entry(etc.resolve("group"), "/etc/group", 0644, "0:0", mtime))
            .addEntry(entry(etc.resolve("nsswitch.conf"), "/etc/nsswitch.conf", 0644, "0:0", mtime))
            .addEntry(entry(etc.resolve("passwd"), "/etc/passwd", 0644, "0:0", mtime))
            .addEntry(entry(home.getParent(), "/home", 0755, "0:0", mtime))
            .addEntry(entry(home, "/home/nonroot", 0700, "65532:65532", mtime))
            .addEntry(entry(tmp, "/tmp", 01777, "0:0", mtime))
            .build();
    log.println("Layer 'users': /etc/passwd, /etc/group, /etc/nsswitch.conf, /home/nonroot, /tmp");
    return layer;
  }

  private static FileEntry entry(Path source, String at, int mode, String owner, Instant mtime) {
    return new FileEntry(
        source, AbsoluteUnixPath.get(at), RootfsLayers.permissions(mode), mtime, owner);
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", JAVA_HOME.toString());
    env.put(
        "PATH", JAVA_HOME + "/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("LANG", "C.UTF-8");
    return env;
  }

  private Map<String, String> labels(String javaVersion) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.title", "releasegate base/java17");
    labels.put(
        "org.opencontainers.image.description",
        "Distroless-style Java " + javaVersion + " runtime: Debian packages, a jlinked OpenJDK,"
            + " user nonroot (65532), no shell; built with jib-core by releasegate");
    labels.put("org.opencontainers.image.version", javaVersion);
    labels.put("org.opencontainers.image.created", DateTimeFormatter.ISO_INSTANT.format(time));
    return labels;
  }

  /** JAVA_VERSION from the runtime's {@code release} file, written by jlink. */
  private String javaVersion() throws IOException {
    Path release = rootfs.resolve(JAVA_HOME.toString().substring(1)).resolve("release");
    if (!Files.isRegularFile(release)) {
      throw new InvalidInputException(
          "no Java runtime in the rootfs: " + release + " is missing (run jlink first)");
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      properties.load(in);
    }
    String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "").trim();
    if (version.isEmpty()) {
      throw new InvalidInputException(release + " has no JAVA_VERSION");
    }
    return version;
  }

  /**
   * Jib's own default file time is one second after the epoch (some tools read 0 as "no time");
   * keep it unless SOURCE_DATE_EPOCH asked for another.
   */
  private Instant fileTime() {
    return time.equals(Instant.EPOCH) ? FileEntriesLayer.DEFAULT_MODIFICATION_TIME : time;
  }

  /**
   * Jib's INFO level lists every file of every layer (thousands of lines here): skip it. Its error
   * messages carry ANSI colour codes meant for a terminal: strip them.
   */
  private void logJibEvent(LogEvent event) {
    switch (event.getLevel()) {
      case ERROR, WARN, LIFECYCLE ->
          log.println("jib: " + event.getMessage().replaceAll("\u001B\\[[;\\d]*m", ""));
      default -> {}
    }
  }

  private static String toolVersion() {
    Properties properties = new Properties();
    try (InputStream in =
        BaseImageBuilder.class.getResourceAsStream("/dev/releasegate/version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // the version only decorates the image history
    }
    return properties.getProperty("version", "unknown");
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is not worth failing a pushed build for
    }
  }
}
