package dev.releasegate.sign;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes {@code PREFIX.key} and {@code PREFIX.pub} so that no reader ever sees a half-written file and a
 * failure leaves neither behind: both are first written in full to temporary files in the target
 * directory, then renamed into place (a rename within one directory is atomic), and the key is removed
 * again if the public key cannot be placed.
 *
 * <p>Existing files are never replaced. The check runs before anything is written and again right
 * before each rename; an atomic rename cannot itself refuse to replace, so a file created by another
 * process between that last check and the rename would still be lost.
 */
final class KeyPairWriter {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private final Path keyFile;
  private final Path pubFile;
  private final Path directory;

  private KeyPairWriter(Path keyFile, Path pubFile, Path directory) {
    this.keyFile = keyFile;
    this.pubFile = pubFile;
    this.directory = directory;
  }

  static KeyPairWriter forPrefix(Path prefix) {
    Path name = prefix.getFileName();
    if (name == null || name.toString().isEmpty()) {
      throw new InvalidInputException(prefix + ": not a usable key file prefix");
    }
    Path keyFile = prefix.resolveSibling(name + ".key");
    Path pubFile = prefix.resolveSibling(name + ".pub");
    Path directory = keyFile.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      throw new InvalidInputException(directory + ": no such directory");
    }
    return new KeyPairWriter(keyFile, pubFile, directory);
  }

  void refuseExisting() {
    refuseExisting(keyFile);
    refuseExisting(pubFile);
  }

  void write(String keyPem, String pubPem) {
    Path keyTemp = null;
    Path pubTemp = null;
    boolean keyPlaced = false;
    try {
      keyTemp = writeTemp(keyFile, keyPem, OWNER_ONLY);
      pubTemp = writeTemp(pubFile, pubPem, WORLD_READABLE);
      place(keyTemp, keyFile);
      keyPlaced = true;
      place(pubTemp, pubFile);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(keyTemp);
      deleteQuietly(pubTemp);
      if (keyPlaced) {
        deleteQuietly(keyFile);
      }
      if (e instanceof IOException io) {
        throw new EnvironmentException("cannot write key pair to " + directory + ": " + Pem.describe(io), io);
      }
      throw (RuntimeException) e;
    }
  }

  private static void refuseExisting(Path file) {
    // NOFOLLOW_LINKS: a dangling symlink at the target is still something we would overwrite.
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(file + ": already exists; refusing to overwrite it");
    }
  }

  private Path writeTemp(Path target, String text, Set<PosixFilePermission> permissions) throws IOException {
    boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
    String prefix = "." + target.getFileName() + ".";
    // Created 0600 from the start, so the encrypted key is never readable by others, not even briefly.
    Path temp = posix
        ? Files.createTempFile(directory, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(directory, prefix, ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      if (posix) {
        // Set explicitly: the umask applies at creation and could otherwise decide the .pub mode.
        Files.setPosixFilePermissions(temp, permissions);
      }
      return temp;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private static void place(Path temp, Path target) throws IOException {
    refuseExisting(target);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Best effort while already failing: the original error is the one worth reporting.
    }
  }
}
