package dev.releasegate.evidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An evidence bundle as one tar archive, the form it travels in to the registry: regular files only,
 * in path order, with fixed owner, mode and time, so that the same bundle is always the same bytes.
 * Reading one back is bounded and refuses anything a bundle cannot hold (links, devices, paths that
 * leave the folder, repeated names), before the bundle's own verification runs on what was unpacked.
 */
public final class EvidenceArchive {
  /** More than any real bundle (SBOMs, scanner reports and logs included), less than a disk to fill. */
  public static final long MAX_BYTES = 512L * 1024 * 1024;
  public static final int MAX_ENTRIES = 20_000;

  private EvidenceArchive() {}

  /** The bundle in {@code root} as tar bytes. */
  public static byte[] pack(Path root) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
          .filter(path -> !root.relativize(path).toString().equals(EvidenceLayout.JOURNAL))
          .sorted()
          .toList();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path file : files) {
        String name = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(file));
        entry.setMode(0644);
        entry.setModTime(0);
        entry.setUserId(0);
        entry.setGroupId(0);
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    return bytes.toByteArray();
  }

  /**
   * Unpacks an archive into the empty folder {@code target}. The stream stays open: the caller owns it
   * (and may read what follows the archive's last entry, to finish a digest).
   *
   * @throws IOException naming the first entry that is not allowed, or when a bound is exceeded
   */
  public static void unpack(InputStream archive, Path target) throws IOException {
    Set<String> seen = new HashSet<>();
    long total = 0;
    int count = 0;
    TarArchiveInputStream tar = new TarArchiveInputStream(archive, StandardCharsets.UTF_8.name());
    try {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        String name = entry.getName();
        if (++count > MAX_ENTRIES) {
          throw new IOException("more than " + MAX_ENTRIES + " entries");
        }
        if (entry.isDirectory()) {
          checkName(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
          continue;
        }
        if (!entry.isFile() || entry.isLink() || entry.isSymbolicLink() || entry.isSparse()) {
          throw new IOException("entry " + printable(name) + " is not a regular file");
        }
        checkName(name);
        if (!seen.add(name)) {
          throw new IOException("entry " + printable(name) + " appears twice");
        }
        total += entry.getSize();
        if (entry.getSize() < 0 || total > MAX_BYTES) {
          throw new IOException("the archive holds more than " + MAX_BYTES + " bytes");
        }
        Path file = target.resolve(name).normalize();
        if (!file.startsWith(target.normalize())) {
          throw new IOException("entry " + printable(name) + " leaves the bundle");
        }
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW)) {
          long copied = tar.transferTo(out);
          if (copied != entry.getSize()) {
            throw new IOException("entry " + printable(name) + " is truncated");
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // commons-compress reports some malformed headers this way.
      throw new IOException("not a tar archive: " + e.getMessage(), e);
    }
    if (count == 0) {
      throw new IOException("the archive is empty");
    }
  }

  /** Relative, no empty, '.' or '..' step, no backslash or NUL: the same rule the bundle's paths obey. */
  private static void checkName(String name) throws IOException {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
      throw new IOException("entry " + printable(name) + " is not a relative path");
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IOException("entry " + printable(name) + " is not a plain relative path");
      }
    }
  }

  private static String printable(String name) {
    String shown = name.replaceAll("[\\p{Cntrl}]", "?");
    return "'" + (shown.length() > 200 ? shown.substring(0, 200) + "…" : shown) + "'";
  }
}
