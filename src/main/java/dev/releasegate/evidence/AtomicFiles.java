package dev.releasegate.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that are all or nothing: a temporary file in the same folder, flushed to disk, then renamed
 * over the target. A crash leaves the old file or the new one, never half of either.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] content) throws IOException {
    Path temp = temporaryBeside(target);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public static void copy(Path source, Path target) throws IOException {
    Path temp = temporaryBeside(target);
    try {
      Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static Path temporaryBeside(Path target) throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    return Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename atomically into " + target.getParent(), e);
    }
  }
}
