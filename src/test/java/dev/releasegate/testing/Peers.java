package dev.releasegate.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real tools releasegate is checked against (cosign v3 and v2, crane, trivy, syft), built from
 * the Go module proxy by {@code scripts/peers} at the versions of {@code scripts/peers.versions}, and
 * the offline Trivy DB made from {@code src/test/resources/trivy-db/advisories.yaml}. {@code
 * scripts/test} builds them before the tests; a test that needs one and finds it missing fails, saying
 * so: a skipped interop test proves nothing.
 */
public final class Peers {
  private static final Map<String, Path> FOUND = new HashMap<>();

  private Peers() {}

  /** The executable of peer {@code name} (cosign, cosign2, crane, trivy, syft, trivydb). */
  public static synchronized Path bin(String name) {
    return FOUND.computeIfAbsent(name, Peers::locate);
  }

  private static Path locate(String name) {
    List<String> output = run(List.of(project().resolve("scripts/peers").toString(), "bin", name), Path.of(System.getProperty("java.io.tmpdir")));
    Path executable = Path.of(output.get(output.size() - 1).strip());
    if (!Files.isExecutable(executable)) {
      throw new IllegalStateException("scripts/peers bin " + name + " printed " + executable + ", which is not executable");
    }
    return executable;
  }

  /** The PATH of a release that should find trivy: trivy's folder first, then this process's PATH. */
  public static String pathWithTrivy() {
    return bin("trivy").getParent() + File.pathSeparator + System.getenv("PATH");
  }

  /**
   * A Trivy cache folder under {@code dir} holding the offline DB, updated at {@code updatedAt} (RFC
   * 3339), or now when null. Scan it with {@code --cache-dir DIR --skip-db-update --skip-java-db-update}.
   */
  public static Path trivyCache(Path dir, String updatedAt) {
    Path advisories = project().resolve("src/test/resources/trivy-db/advisories.yaml");
    List<String> command = new java.util.ArrayList<>(List.of(bin("trivydb").toString(), advisories.toString(), dir.toString()));
    if (updatedAt != null) {
      command.add(updatedAt);
    }
    run(command, dir.getParent());
    return dir;
  }

  /**
   * The core's checkout, whose scripts and example the tests use: {@code releasegate.root} when a build
   * elsewhere (the Maven plug-in's) runs these tests, else the project being tested.
   */
  public static Path project() {
    return Path.of(System.getProperty("releasegate.root", System.getProperty("basedir", "."))).toAbsolutePath().normalize();
  }

  /** Runs a command to its end; its output lines, or an exception with them when it fails. */
  public static List<String> run(List<String> command, Path directory) {
    try {
      Path log = Files.createTempFile("peer", ".log");
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 minutes");
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      Files.delete(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + String.join("\n", lines));
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
