package dev.releasegate.stages;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rule that a release takes from a build only what that build wrote: a class, resource or test
 * report older than the build was left by an earlier one (a deleted source, another commit) and says
 * nothing of this commit. Modification times are compared with a second's slack for coarse clocks.
 */
public final class FreshBuild {
  /** File systems with coarse timestamps may date a fresh file slightly before the build started. */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

  private FreshBuild() {}

  /** Whether a build that started at {@code started} wrote {@code file}, by its modification time. */
  public static boolean writtenSince(Path file, Instant started) throws IOException {
    return !Files.getLastModifiedTime(file).toInstant().isBefore(started.minus(CLOCK_SLACK));
  }

  /**
   * Refuses {@code classes} if any file in it is older than {@code started}.
   *
   * @param project what paths in the message are relative to
   * @throws InvalidInputException naming the first such file and how many more there are
   */
  public static void check(Path project, Path classes, Instant started) {
    List<Path> stale;
    try (Stream<Path> files = Files.walk(classes)) {
      stale = files.filter(Files::isRegularFile).filter(file -> !writtenSinceUnchecked(file, started)).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new EnvironmentException("cannot read " + classes + ": " + e.getMessage(), e);
    }
    if (!stale.isEmpty()) {
      Path where = project.toAbsolutePath().normalize();
      throw new InvalidInputException("the build did not write " + where.relativize(stale.get(0).toAbsolutePath().normalize())
          + (stale.size() > 1 ? " and " + (stale.size() - 1) + " more" : "") + " in " + where.relativize(classes.toAbsolutePath().normalize())
          + ": an earlier build left them; build from clean (e.g. mvn -B clean verify) so that the image holds only what this run built");
    }
  }

  private static boolean writtenSinceUnchecked(Path file, Instant started) {
    try {
      return writtenSince(file, started);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
