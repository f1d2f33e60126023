package dev.releasegate.registry;

import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A lock file under the user's cache ({@code ~/.cache/releasegate/locks}), one per name, held while
 * tags are checked and written. Registries have no compare-and-set for tags, so releases and
 * promotions on one machine take turns; across machines only reading the tag back can tell.
 */
public final class TagLock implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final FileChannel channel;
  private final FileLock lock;

  private TagLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits for the lock of {@code name} (a repository, or a repository and tag) at most {@code timeout}.
   *
   * @param waiting told once per poll while another process holds the lock
   * @throws EnvironmentException when the lock cannot be taken in time or the file cannot be written
   */
  public static TagLock acquire(Map<String, String> environment, String name, Duration timeout, Consumer<String> waiting)
      throws InterruptedException {
    Path folder = Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "releasegate", "locks");
    Path file = folder.resolve(Digests.sha256Hex(name.getBytes(StandardCharsets.UTF_8)) + ".lock");
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Files.createDirectories(folder);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      while (true) {
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
          // File locks belong to the process: another thread of this one holds it, which is a wait too.
          lock = null;
        }
        if (lock != null) {
          return new TagLock(channel, lock);
        }
        if (System.nanoTime() > deadline) {
          channel.close();
          throw new EnvironmentException("another process on this machine holds the tag lock of " + name + " (" + file + ") for over "
              + timeout.toSeconds() + " s");
        }
        waiting.accept("waiting for another process writing the tags of " + name);
        Thread.sleep(POLL.toMillis());
      }
    } catch (IOException e) {
      throw new EnvironmentException("cannot take the tag lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // The lock dies with the channel or the process at the latest.
    }
  }
}
