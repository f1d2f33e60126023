package dev.releasegate.image;

import java.util.ArrayDeque;
import java.util.Deque;

/** Paths inside an image as a container sees them: absolute, {@code /}-separated, never above the root. */
public final class ImagePath {
  private ImagePath() {}

  /**
   * An absolute path without {@code .}, {@code ..}, empty or trailing components; {@code ..} stops at
   * the root, as it does in a container, so that a tar name cannot point outside the image.
   */
  public static String normalize(String name) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return "/" + String.join("/", parts);
  }

  /** The folder a normalized path is in; {@code /} for the root and for top-level paths. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last component of a normalized path; empty for the root. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code name} inside the normalized folder {@code directory}. */
  public static String child(String directory, String name) {
    return normalize(directory + "/" + name);
  }
}
