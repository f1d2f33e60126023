package dev.releasegate.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file whole only when it is no larger than a bound: a bundle, a pipeline file or a key
 * handed in from outside could be gigabytes, and read whole it would end the process.
 */
public final class BoundedFiles {
  private BoundedFiles() {}

  /** A file larger than its bound; the message names the file, its size and the bound. */
  public static final class TooLargeException extends IOException {
    private TooLargeException(Path file, long size, long max) {
      super(file + " is " + size + " bytes; at most " + max);
    }
  }

  /**
   * The file's bytes, read no further than {@code max} (the file may grow while it is read).
   *
   * @throws TooLargeException when the file holds more than {@code max} bytes
   */
  public static byte[] read(Path file, long max) throws IOException {
    long size = Files.size(file);
    if (size > max) {
      throw new TooLargeException(file, size, max);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) max + 1);
      if (bytes.length > max) {
        throw new TooLargeException(file, Math.max(Files.size(file), bytes.length), max);
      }
      return bytes;
    }
  }
}
