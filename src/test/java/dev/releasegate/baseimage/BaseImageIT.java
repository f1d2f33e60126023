package dev.releasegate.baseimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Podman;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/base-image} against a real registry: the pushed reference, reproducibility, the
 * image config, and the image itself under podman (rootless-style flags, no shell in the image).
 */
class BaseImageIT {

  @RegisterExtension static LocalRegistry registry = new LocalRegistry();

  private static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  private static final Path SCRIPT = PROJECT.resolve("scripts/base-image");
  private static final String REPOSITORY = "base/java17";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Run first;
  private static Run second;

  record Run(int exitCode, List<String> stdout, String stderr) {
    String lastLine() {
      return stdout.isEmpty() ? "" : stdout.get(stdout.size() - 1);
    }

    String digest() {
      return lastLine().substring(lastLine().indexOf('@') + 1);
    }
  }

  @BeforeAll
  static void buildTwice() throws Exception {
    first = baseImage(registry.address());
    assertEquals(0, first.exitCode(), "first build failed:\n" + first.stderr());
    second = baseImage(registry.address());
    assertEquals(0, second.exitCode(), "second build failed:\n" + second.stderr());
  }

  @Test
  void lastLineIsTheRepositoryPinnedByDigest() {
    Pattern expected =
        Pattern.compile(Pattern.quote(registry.address() + "/" + REPOSITORY) + "@sha256:[0-9a-f]{64}");
    assertTrue(expected.matcher(first.lastLine()).matches(), "last line: " + first.lastLine());
  }

  @Test
  void buildingTwiceGivesTheSameDigest() {
    assertEquals(first.lastLine(), second.lastLine(), "second run:\n" + second.stderr());
  }

  @Test
  void tag17PointsToThePrintedDigest() {
    assertEquals(first.digest(), registry.manifestDigest(REPOSITORY, "17").orElseThrow());
    assertEquals(List.of("17"), registry.tags(REPOSITORY));
  }

  @Test
  void manifestAndConfigDescribeADistrolessJavaImage() throws Exception {
    byte[] manifestBytes = registry.manifest(REPOSITORY, first.digest()).orElseThrow();
    assertEquals(first.digest(), "sha256:" + sha256(manifestBytes));
    JsonNode manifest = JSON.readTree(manifestBytes);
    assertEquals("application/vnd.oci.image.manifest.v1+json", manifest.path("mediaType").asText());
    assertEquals(3, manifest.path("layers").size(), "packages, java runtime, users");
    long compressed = 0;
    for (JsonNode layer : manifest.path("layers")) {
      assertEquals("application/vnd.oci.image.layer.v1.tar+gzip", layer.path("mediaType").asText());
      compressed += layer.path("size").asLong();
    }
    assertTrue(compressed < 100_000_000L, "base image unexpectedly large: " + compressed + " bytes");

    JsonNode config =
        JSON.readTree(
            registry.blob(REPOSITORY, manifest.path("config").path("digest").asText()).orElseThrow());
    JsonNode c = config.path("config");
    assertEquals("65532", c.path("User").asText());
    assertEquals("/home/nonroot", c.path("WorkingDir").asText());
    assertTrue(c.path("Entrypoint").isMissingNode() || c.path("Entrypoint").isNull(), c.toString());
    assertTrue(c.path("Cmd").isMissingNode() || c.path("Cmd").isNull(), c.toString());
    List<String> env = new ArrayList<>();
    c.path("Env").forEach(e -> env.add(e.asText()));
    assertTrue(env.contains("JAVA_HOME=/opt/java/openjdk"), env.toString());
    assertTrue(env.contains("LANG=C.UTF-8"), env.toString());
    assertTrue(
        env.contains(
            "PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        env.toString());

    JsonNode labels = c.path("Labels");
    assertFalse(labels.path("org.opencontainers.image.title").asText().isEmpty(), labels.toString());
    assertFalse(
        labels.path("org.opencontainers.image.description").asText().isEmpty(), labels.toString());
    assertTrue(
        labels.path("org.opencontainers.image.version").asText().matches("17(\\.\\d+)*"),
        labels.toString());
    String created = labels.path("org.opencontainers.image.created").asText();
    assertEquals(config.path("created").asText(), created, "label and image agree on the time");
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    if (epoch == null || epoch.isBlank()) {
      assertEquals("1970-01-01T00:00:00Z", created);
    }
    assertEquals("amd64", config.path("architecture").asText());
    assertEquals("linux", config.path("os").asText());
    assertEquals(3, config.path("rootfs").path("diff_ids").size());
  }

  @Test
  void anUnreachableRegistryExitsWith3() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run run = baseImage("127.0.0.1:" + closedPort);
    assertEquals(3, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("unreachable"), run.stderr());
    assertTrue(run.stdout().isEmpty(), "nothing on stdout: " + run.stdout());
  }

  @Test
  void javaStartsAsNonrootUnderPodman() {
    assumeTrue(Podman.available(), "podman is not installed: skipping the run of the base image");
    Podman.Result result =
        Podman.run(podmanRun(List.of(first.lastLine(), "java", "-XshowSettings:properties", "-version")));
    assertEquals(0, result.exitCode(), result.toString());
    // java -version and -XshowSettings write to stderr.
    assertTrue(result.stderr().contains("user.name = nonroot"), result.toString());
    assertTrue(result.stderr().contains("user.home = /home/nonroot"), result.toString());
    assertTrue(result.stderr().contains("java.home = /opt/java/openjdk"), result.toString());
    assertTrue(result.stderr().contains("openjdk version \"17"), result.toString());
  }

  /**
   * There is no shell or coreutils in the image, so a tiny class (compiled here, mounted read-only)
   * reports the process credentials and the files scanners and the loader depend on.
   */
  @Test
  void filesystemAndCredentialsInsideTheContainer(@TempDir Path probeDir) throws Exception {
    assumeTrue(Podman.available(), "podman is not installed: skipping the run of the base image");
    Path source = probeDir.resolve("Probe.java");
    Files.writeString(
        source,
        String.join(
            "\n",
            "import java.nio.file.*;",
            "public class Probe {",
            "  public static void main(String[] a) throws Exception {",
            "    for (String l : Files.readAllLines(Path.of(\"/proc/self/status\")))",
            "      if (l.startsWith(\"Uid:\") || l.startsWith(\"Gid:\")) System.out.println(l);",
            "    for (String f : a) System.out.println(f + \" \" + (Files.isRegularFile(Path.of(f))",
            "        ? \"file \" + Integer.toOctalString((Integer) Files.getAttribute(Path.of(f),",
            "            \"unix:mode\") & 07777)",
            "        : Files.isDirectory(Path.of(f))",
            "            ? \"dir \" + Integer.toOctalString((Integer) Files.getAttribute(Path.of(f),",
            "                \"unix:mode\") & 07777)",
            "            : \"missing\"));",
            "    var ks = java.security.KeyStore.getInstance(\"JKS\");",
            "    try (var in = Files.newInputStream(Path.of(System.getProperty(\"java.home\"),",
            "        \"lib/security/cacerts\"))) { ks.load(in, null); }",
            "    System.out.println(\"cacerts \" + ks.size());",
            "  }",
            "}",
            ""));
    int compiled =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "--release", "17", "-d", probeDir.toString(), source.toString());
    assertEquals(0, compiled, "compiling the probe");
    // @TempDir is 0700 and ours; the container user 65532 must be able to read the class.
    Files.setPosixFilePermissions(probeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        probeDir.resolve("Probe.class"), PosixFilePermissions.fromString("rw-r--r--"));

    List<String> args = new ArrayList<>(List.of("-v", probeDir + ":/probe:ro"));
    args.add(first.lastLine());
    args.addAll(
        List.of(
            "java", "-cp", "/probe", "Probe",
            "/lib64/ld-linux-x86-64.so.2",
            "/etc/os-release",
            "/etc/passwd",
            "/etc/ssl/certs/ca-certificates.crt",
            "/var/lib/dpkg/status.d/libc6",
            "/usr/share/doc/libstdc++6/copyright",
            "/opt/java/openjdk/bin/java",
            "/home/nonroot",
            "/tmp"));
    Podman.Result result = Podman.run(podmanRun(args));
    assertEquals(0, result.exitCode(), result.toString());
    String out = result.stdout();
    assertTrue(out.contains("Uid:\t65532\t65532\t65532\t65532"), out);
    assertTrue(out.contains("Gid:\t65532\t65532\t65532\t65532"), out);
    assertTrue(out.contains("/lib64/ld-linux-x86-64.so.2 file 755"), out);
    assertTrue(out.contains("/etc/os-release file 644"), out);
    assertTrue(out.contains("/etc/passwd file 644"), out);
    assertTrue(out.contains("/etc/ssl/certs/ca-certificates.crt file 644"), out);
    assertTrue(out.contains("/var/lib/dpkg/status.d/libc6 file 644"), out);
    assertTrue(out.contains("/usr/share/doc/libstdc++6/copyright file 644"), out);
    assertTrue(out.contains("/opt/java/openjdk/bin/java file 755"), out);
    assertTrue(out.contains("/home/nonroot dir 700"), out);
    assertTrue(out.matches("(?s).*cacerts [1-9]\\d*.*"), out);
  }

  /** The flags a hardened deployment uses; the image must work under all of them. */
  private static List<String> podmanRun(List<String> imageAndCommand) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run", "--rm", "--tls-verify=false", "--read-only", "--cap-drop", "ALL",
                "--security-opt", "no-new-privileges"));
    args.addAll(imageAndCommand);
    return args;
  }

  private static Run baseImage(String registryAddress) throws IOException, InterruptedException {
    Path err = Files.createTempFile("base-image", ".err");
    Path out = Files.createTempFile("base-image", ".out");
    try {
      Process process =
          new ProcessBuilder(SCRIPT.toString(), registryAddress)
              .directory(PROJECT.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("scripts/base-image did not finish in 15 minutes");
      }
      List<String> stdout = new ArrayList<>();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          stdout.add(line);
        }
      }
      return new Run(process.exitValue(), stdout, Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(err);
      Files.deleteIfExists(out);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
