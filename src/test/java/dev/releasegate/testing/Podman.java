package dev.releasegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code podman} for integration tests, with the quirk this sandbox (and CI containers
 * like it) needs: crun cannot set rlimits or cgroups here, so every call gets {@code CONTAINERS_CONF}
 * pointing at a containers.conf with {@code default_ulimits = []} and {@code runtime = "runc"}.
 *
 * <pre>
 * assumeTrue(Podman.available(), "podman is not installed");
 * Podman.Result r = Podman.run("run", "--rm", "--tls-verify=false", ref, "java", "-version");
 * </pre>
 *
 * Pulls from a {@link LocalRegistry} need {@code --tls-verify=false} (plain HTTP).
 */
public final class Podman {

  /** Exit code and output of one podman command. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** For assertion messages: the command, its exit code and both outputs. */
    @Override
    public String toString() {
      return String.join(" ", command) + "\nexit " + exitCode + "\n--- stdout\n" + stdout
          + "\n--- stderr\n" + stderr;
    }
  }

  /** One line of {@code podman ps -a}. */
  public record Container(String id, List<String> names, String image, String state) {}

  private static final String CONTAINERS_CONF =
      "[containers]\ndefault_ulimits = []\n[engine]\nruntime = \"runc\"\n";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path containersConf;
  private static Boolean available;

  private Podman() {}

  /** Whether podman is installed and answers {@code podman version}. */
  public static synchronized boolean available() {
    if (available == null) {
      available = onPath("podman") && tryVersion();
    }
    return available;
  }

  /** The containers.conf every call uses (created on first use in a temp directory). */
  public static synchronized Path containersConf() {
    if (containersConf == null) {
      try {
        Path dir = Files.createTempDirectory("releasegate-podman");
        containersConf = Files.writeString(dir.resolve("containers.conf"), CONTAINERS_CONF);
        dir.toFile().deleteOnExit();
        containersConf.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return containersConf;
  }

  /** {@code podman ARGS...} with a five-minute limit (pulls from the loopback registry are fast). */
  public static Result run(String... args) {
    return run(Duration.ofMinutes(5), Arrays.asList(args));
  }

  /** {@code podman ARGS...} with a five-minute limit. */
  public static Result run(List<String> args) {
    return run(Duration.ofMinutes(5), args);
  }

  /** {@code podman ARGS...}; fails if it runs longer than {@code timeout} (and kills it). */
  public static Result run(Duration timeout, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("podman");
    command.addAll(args);
    try {
      Path out = Files.createTempFile("podman", ".out");
      Path err = Files.createTempFile("podman", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("CONTAINERS_CONF", containersConf().toString());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish within " + timeout + "\n--- stderr\n"
                  + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(
            List.copyOf(command),
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** All containers, running or not ({@code podman ps -a}). */
  public static List<Container> psAll() {
    Result result = run("ps", "-a", "--format", "json");
    if (!result.ok()) {
      throw new IllegalStateException(result.toString());
    }
    List<Container> containers = new ArrayList<>();
    try {
      for (JsonNode c : JSON.readTree(result.stdout().isBlank() ? "[]" : result.stdout())) {
        List<String> names = new ArrayList<>();
        c.path("Names").forEach(n -> names.add(n.asText()));
        containers.add(
            new Container(c.path("Id").asText(), names, c.path("Image").asText(),
                c.path("State").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unexpected podman ps output: " + result.stdout(), e);
    }
    return containers;
  }

  /** Removes a container, running or not; no error if it does not exist. */
  public static void removeContainer(String nameOrId) {
    run("rm", "--force", "--ignore", nameOrId);
  }

  /** Removes a local image (to force the next run to pull again); ignores a missing image. */
  public static void removeImage(String reference) {
    run("rmi", "--force", "--ignore", reference);
  }

  private static boolean tryVersion() {
    try {
      return run(Duration.ofSeconds(60), List.of("version")).ok();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean onPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
        return true;
      }
    }
    return false;
  }
}
