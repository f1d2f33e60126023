package dev.releasegate.process;

import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** Paths a pipeline file names, which must stay inside the project. */
public final class ProjectPaths {
  private ProjectPaths() {}

  /** Resolves {@code relative} against the project; refuses anything that leaves it. */
  public static Path inside(Path project, String relative, String option) {
    Path root = project.toAbsolutePath().normalize();
    Path resolved = root.resolve(relative).normalize();
    if (!resolved.startsWith(root)) {
      throw new InvalidInputException(option + " '" + relative + "' leaves the project folder " + root);
    }
    return resolved;
  }

  /**
   * Regular files under the project matching a glob relative to it, such as
   * {@code target/surefire-reports/*.xml} or {@code **}{@code /TEST-*.xml}; sorted.
   */
  public static List<Path> glob(Path project, String pattern) throws IOException {
    Path root = project.toAbsolutePath().normalize();
    if (pattern.startsWith("/") || pattern.contains("..")) {
      throw new InvalidInputException("pattern '" + pattern + "' must be relative to the project and stay inside it");
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    Path start = root.resolve(literalPrefix(pattern));
    if (!Files.isDirectory(start)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(start)) {
      return walk.filter(Files::isRegularFile)
          .filter(path -> matcher.matches(root.relativize(path)))
          .sorted()
          .toList();
    }
  }

  /** The folders before the first wildcard, so that the walk starts as deep as it can. */
  private static String literalPrefix(String pattern) {
    int wildcard = pattern.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int at = pattern.indexOf(c);
      if (at >= 0) {
        wildcard = Math.min(wildcard, at);
      }
    }
    int slash = pattern.lastIndexOf('/', wildcard);
    return slash < 0 ? "" : pattern.substring(0, slash);
  }
}
