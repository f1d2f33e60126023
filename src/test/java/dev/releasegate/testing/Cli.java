package dev.releasegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code target/releasegate.jar} as a user would, in a separate JVM. */
public final class Cli {
  private Cli() {}

  public record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  public static Path jar() {
    Path jar = Path.of(System.getProperty("releasegate.jar", "target/releasegate.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("run mvn package first: " + jar + " is missing");
    }
    return jar;
  }

  public static Result run(Map<String, String> environment, Path directory, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      Path out = Files.createTempFile("cli", ".out");
      Path err = Files.createTempFile("cli", ".err");
      builder.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = builder.start();
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("releasegate did not finish: " + command);
      }
      Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the jar without waiting, output (merged) to {@code log}: for tests that signal or kill it. */
  public static Process start(Path log, String... args) {
    return start(Releases.environment(), log, args);
  }

  /** As {@link #start(Path, String...)}, with this environment. */
  public static Process start(Map<String, String> environment, Path log, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until a descendant of {@code process} whose command ends with {@code /name} runs. */
  public static List<ProcessHandle> awaitChild(Process process, String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (process.descendants().noneMatch(p -> p.info().command().orElse("").endsWith("/" + name)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return process.descendants().toList();
  }

  public static Result run(Path directory, String... args) {
    return run(Releases.environment(), directory, args);
  }
}
