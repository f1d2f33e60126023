package dev.releasegate.stages.trivy;

import dev.releasegate.testing.Releases;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trivy test double (src/test/resources/trivy/trivy-double.sh) installed as {@code bin/trivy} in
 * a temporary folder. Resources lose their file mode on the class path, so it is copied and made
 * executable here; the release finds it first on the PATH it is given, exactly as it would find the
 * real trivy.
 */
public final class TrivyDouble {
  private final Path bin;
  private final Path argv;
  private final Path context;

  private TrivyDouble(Path dir) {
    this.bin = dir.resolve("bin");
    this.argv = dir.resolve("argv.txt");
    this.context = dir.resolve("context.txt");
  }

  public static TrivyDouble install(Path dir) {
    TrivyDouble double_ = new TrivyDouble(dir);
    try (InputStream script = TrivyDouble.class.getResourceAsStream("/trivy/trivy-double.sh")) {
      Files.createDirectories(double_.bin);
      Path executable = double_.bin.resolve("trivy");
      Files.copy(script, executable);
      Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return double_;
  }

  Path executable() {
    return bin.resolve("trivy");
  }

  /** The release's environment with the double first on PATH, replaying {@code report}. */
  public Map<String, String> environment(Path report) {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("PATH", bin + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("DOUBLE_REPORT", report.toString());
    environment.put("DOUBLE_ARGV", argv.toString());
    environment.put("DOUBLE_CONTEXT", context.toString());
    return environment;
  }

  /** The arguments (without argv[0]) of every invocation, in order. */
  List<List<String>> invocations() {
    try {
      if (!Files.exists(argv)) {
        return List.of();
      }
      return Files.readAllLines(argv).stream().map(line -> Arrays.asList(line.split("\t", -1))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines {@code pwd=…} and {@code TRIVY_…=…} the double saw, per invocation. */
  List<String> context() {
    try {
      return Files.exists(context) ? Files.readAllLines(context) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
