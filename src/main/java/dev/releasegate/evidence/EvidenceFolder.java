package dev.releasegate.evidence;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Messages;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The evidence bundle's folder as verification reads it: a path the index names is read only when it
 * stays inside the folder without passing through a symbolic link, and a file that is missing or
 * unreadable is a problem of the bundle, not an error of the verifier.
 */
final class EvidenceFolder {
  private final Path root;
  private final Problems problems;

  EvidenceFolder(Path root, Problems problems) {
    this.root = root;
    this.problems = problems;
  }

  Path root() {
    return root;
  }

  Path resolve(String path) {
    return root.resolve(path);
  }

  /** {@code path} relative to the folder, with forward slashes as the index writes it. */
  String relative(Path path) {
    return root.relativize(path).toString().replace(File.separatorChar, '/');
  }

  /** Relative, normalized, no parent steps, and no symbolic link anywhere on the way. */
  boolean isInside(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
      return false;
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    Path current = root;
    for (String part : path.split("/")) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        return false;
      }
    }
    return true;
  }

  /** Notes a problem of {@code namedIn} when the path it names is not {@link #isInside inside}. */
  void requireInside(String path, String namedIn) {
    if (!isInside(path)) {
      problems.add(namedIn, "path", "'" + path + "' escapes the bundle or passes through a link");
    }
  }

  /**
   * The file's bytes; empty, with a problem noted under {@code check}, when it is missing or unreadable
   * (and, silently, when it is not inside). A file over {@code max} is not a bundle's: exit 2.
   */
  Optional<byte[]> read(String path, String check, long max) {
    if (!isInside(path)) {
      return Optional.empty();
    }
    Path file = root.resolve(path);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      problems.add(path, check, "missing");
      return Optional.empty();
    }
    try {
      return Optional.of(BoundedFiles.read(file, max));
    } catch (BoundedFiles.TooLargeException e) {
      throw new InvalidInputException(e.getMessage());
    } catch (IOException e) {
      problems.add(path, check, "unreadable: " + Messages.firstLine(e));
      return Optional.empty();
    }
  }
}
