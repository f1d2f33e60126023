package dev.releasegate.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real Maven builds, each a process of the {@code mvn} on the PATH, through a wrapper that counts them:
 * the wrapper's folder comes first on the PATH the builds see, so a Maven that a build starts (the test
 * stage's command, a build command of the jib stage) is counted too.
 */
final class MavenRuns {
  private static final Duration LIMIT = Duration.ofMinutes(15);

  private final Path bin;
  private final Path invocations;

  /** The result of one build: its exit code and its whole log. */
  record Result(int exitCode, String log, Duration took) {
    @Override
    public String toString() {
      return "mvn exited with " + exitCode + " after " + took.toSeconds() + " s:\n" + log;
    }
  }

  /** A wrapper {@code bin/mvn} that records every start of Maven in {@code dir}, then runs the real one. */
  MavenRuns(Path dir) {
    try {
      bin = Files.createDirectories(dir.resolve("bin"));
      invocations = dir.resolve("invocations");
      Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"mvn $*\" >> '" + invocations + "'\nexec '" + realMaven() + "' \"$@\"\n");
      Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The PATH for the builds: the wrapper first, then {@code path}. */
  String path(String path) {
    return bin + File.pathSeparator + path;
  }

  /** Every Maven started since the last call, one line each with its arguments. */
  List<String> takeInvocations() {
    try {
      if (!Files.exists(invocations)) {
        return List.of();
      }
      List<String> lines = Files.readAllLines(invocations, StandardCharsets.UTF_8);
      Files.delete(invocations);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code mvn -B -ntp ARGS} in {@code project} with exactly {@code environment}; its log is kept beside the project. */
  Result run(Path project, Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>(List.of(bin.resolve("mvn").toString(), "-B", "-ntp"));
    command.addAll(List.of(args));
    Path log = project.resolveSibling(project.getFileName() + "-mvn.log");
    long start = System.nanoTime();
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(LIMIT.toMinutes(), TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + LIMIT.toMinutes() + " minutes:\n" + Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path realMaven() {
    String path = System.getenv("PATH");
    return Arrays.stream(path == null ? new String[0] : path.split(File.pathSeparator)).map(folder -> Path.of(folder, "mvn"))
        .filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException("no mvn on the PATH " + path));
  }
}
