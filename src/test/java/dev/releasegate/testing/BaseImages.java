package dev.releasegate.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The example's base image, built once per test JVM with {@code scripts/base-image} into a registry
 * shared by every test class. Tests that break their target registry on purpose still reach the base.
 */
public final class BaseImages {
  private static LocalRegistry shared;
  private static String java17;

  private BaseImages() {}

  /** The registry that holds the base image; started on first use, stopped when the JVM exits. */
  public static synchronized LocalRegistry registry() {
    if (shared == null) {
      shared = new LocalRegistry();
      shared.start();
    }
    return shared;
  }

  /** {@code 127.0.0.1:PORT/base/java17@sha256:…} */
  public static synchronized String java17() {
    if (java17 == null) {
      java17 = build(registry().address());
    }
    return java17;
  }

  private static String build(String registryAddress) {
    Path project = Peers.project();
    try {
      Path out = Files.createTempFile("base-image", ".out");
      Path err = Files.createTempFile("base-image", ".err");
      Process process = new ProcessBuilder(project.resolve("scripts/base-image").toString(), registryAddress)
          .directory(project.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException("scripts/base-image failed:\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList();
      Files.delete(out);
      Files.delete(err);
      return lines.get(lines.size() - 1);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/base-image: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
