package dev.releasegate.stages;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rule that an image holds only what this run's build wrote: a class or resource older than the
 * build was left by an earlier one (a deleted source, another commit) and was never tested here.
 */
public final class FreshBuild {
  private FreshBuild() {}

  /**
   * Refuses {@code classes} if any file in it is older than {@code started}.
   *
   * @param project what paths in the message are relative to
   * @throws InvalidInputException naming the first such file and how many more there are
   */
  public static void check(Path project, Path classes, Instant started) {
    List<Path> stale;
    try (Stream<Path> files = Files.walk(classes)) {
      stale = files.filter(Files::isRegularFile).filter(file -> olderThan(file, started)).sorted().toList();
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

  private static boolean olderThan(Path file, Instant started) {
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(started);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
