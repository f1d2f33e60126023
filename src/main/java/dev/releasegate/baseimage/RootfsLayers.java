package dev.releasegate.baseimage;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.FilePermissionsProvider;
import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a directory tree inside a root filesystem (Debian packages unpacked with {@code dpkg -x}, a
 * jlinked runtime) into a jib {@link FileEntriesLayer}.
 *
 * <p>Jib reads every source file through the host file system and writes regular files and
 * directories only: it follows symbolic links on the host and stores the default mode 644/755. Both
 * are wrong for a root file system, so this class
 *
 * <ul>
 *   <li>takes each mode from the file itself ({@link #PERMISSIONS}), so executables and shared
 *       libraries stay 755 and {@code /tmp} stays 1777;
 *   <li>resolves every symbolic link the way the kernel would inside a chroot at the rootfs (an
 *       absolute target such as {@code /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2} is relative to the
 *       rootfs, never the host) and stores the target's content at the link path; a link to a
 *       directory becomes a copy of that directory; dangling links and links that loop are dropped.
 * </ul>
 *
 * <p>Every entry gets the same modification time and root ownership, and entries are sorted, so the
 * layer depends only on the bytes and modes of the tree. (Jib's own {@code addEntryRecursive} is not
 * used: it hands symbolic links to the tar writer, which follows them on the host.)
 */
final class RootfsLayers {

  /** What went into a layer, for the progress log and for tests. */
  static final class Stats {
    int files;
    int directories;
    long bytes;
    int linksToFiles;
    int linksToDirectories;
    final List<String> dropped = new ArrayList<>();
    final List<String> specialBitsLost = new ArrayList<>();

    @Override
    public String toString() {
      return String.format(
          "%d files (%.1f MB), %d directories, %d symlinks stored as files, %d symlinked directories"
              + " copied, %d links dropped%s%s",
          files,
          bytes / 1e6,
          directories,
          linksToFiles,
          linksToDirectories,
          dropped.size(),
          dropped.isEmpty() ? "" : " " + dropped,
          specialBitsLost.isEmpty() ? "" : ", special mode bits lost on " + specialBitsLost);
    }
  }

  /** Keeps the mode bits the file has in the rootfs (including setuid/setgid/sticky). */
  static final FilePermissionsProvider PERMISSIONS = (source, target) -> permissions(modeOf(source));

  /** See {@link #permissions(int)}. */
  private static final Constructor<FilePermissions> WITH_SPECIAL_BITS = specialBitsConstructor();

  private static final int MAX_LINK_HOPS = 40; // same limit as Linux (ELOOP)

  private final Path root;
  private final Instant modificationTime;

  RootfsLayers(Path root, Instant modificationTime) {
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.modificationTime = modificationTime;
  }

  /**
   * A layer with everything the rootfs has under {@code top}, except the subtrees in {@code
   * excluded} (which go into another layer). The directories above {@code top} are included too, so
   * that jib does not invent them with its own defaults.
   */
  FileEntriesLayer layer(
      String name, AbsoluteUnixPath top, Set<AbsoluteUnixPath> excluded, Stats stats)
      throws IOException {
    List<FileEntry> entries = new ArrayList<>();
    Path host = root;
    AbsoluteUnixPath at = AbsoluteUnixPath.get("/");
    for (Path part : Path.of(top.toString().substring(1)).normalize()) {
      if (part.toString().isEmpty()) {
        continue;
      }
      host = host.resolve(part.toString());
      at = at.resolve(part.toString());
      if (Files.isSymbolicLink(host) || !Files.isDirectory(host)) {
        throw new InvalidInputException(
            "/" + root.relativize(host) + " must be a directory (not a link) in " + root);
      }
      if (!at.equals(top)) {
        addDirectory(host, at, entries, stats);
      }
    }
    Set<Path> openDirectories = new HashSet<>();
    visit(host, top, excluded, openDirectories, entries, stats);

    // Jib sorts tar entries itself; sorting here keeps its cache key stable too.
    entries.sort(Comparator.comparing(e -> e.getExtractionPath().toString()));
    return FileEntriesLayer.builder().setName(name).setEntries(entries).build();
  }

  private void visit(
      Path host,
      AbsoluteUnixPath at,
      Set<AbsoluteUnixPath> excluded,
      Set<Path> openDirectories,
      List<FileEntry> entries,
      Stats stats)
      throws IOException {
    if (excluded.contains(at)) {
      return;
    }
    Path source = host;
    if (Files.isSymbolicLink(host)) {
      Optional<Path> target = resolveInRoot(host);
      if (target.isEmpty()) {
        stats.dropped.add(at + " -> " + Files.readSymbolicLink(host));
        return;
      }
      source = target.get();
      if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        // A link to one of the directories being walked (e.g. "posix -> .") would recurse forever.
        if (openDirectories.contains(source)) {
          stats.dropped.add(at + " -> " + Files.readSymbolicLink(host) + " (loop)");
          return;
        }
        stats.linksToDirectories++;
      } else {
        stats.linksToFiles++;
      }
    }

    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      if (!at.toString().equals("/")) {
        addDirectory(source, at, entries, stats);
      }
      List<Path> children;
      try (Stream<Path> list = Files.list(source)) {
        children = list.sorted().toList();
      }
      openDirectories.add(source);
      for (Path child : children) {
        String childName = child.getFileName().toString();
        visit(child, at.resolve(childName), excluded, openDirectories, entries, stats);
      }
      openDirectories.remove(source);
    } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      entries.add(new FileEntry(source, at, permissions(source, at, stats), modificationTime, "0:0"));
      stats.files++;
      stats.bytes += Files.size(source);
    } else {
      // Devices, fifos and sockets cannot be expressed in a jib layer (dpkg -x creates none).
      stats.dropped.add(at + " (special file)");
    }
  }

  private void addDirectory(Path host, AbsoluteUnixPath at, List<FileEntry> entries, Stats stats)
      throws IOException {
    entries.add(new FileEntry(host, at, permissions(host, at, stats), modificationTime, "0:0"));
    stats.directories++;
  }

  private static FilePermissions permissions(Path source, AbsoluteUnixPath at, Stats stats) {
    FilePermissions permissions = PERMISSIONS.get(source, at);
    int mode = modeOf(source) & 07777;
    if (permissions.getPermissionBits() != mode) {
      stats.specialBitsLost.add(at + " " + Integer.toOctalString(mode));
    }
    return permissions;
  }

  /**
   * Resolves the symbolic link {@code link} (a path under the rootfs) as the kernel would with the
   * rootfs as "/": absolute targets start again at the rootfs, ".." never climbs above it, links in
   * the middle of a target are followed too. Returns the real path of the final file or directory
   * under the rootfs, or empty if the link dangles or loops.
   */
  Optional<Path> resolveInRoot(Path link) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    for (Path part : root.relativize(link)) {
      todo.addLast(part.toString());
    }
    List<String> resolved = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String part = todo.removeFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!resolved.isEmpty()) {
          resolved.remove(resolved.size() - 1);
        }
        continue;
      }
      resolved.add(part);
      Path current = hostPath(resolved);
      if (Files.isSymbolicLink(current)) {
        if (++hops > MAX_LINK_HOPS) {
          return Optional.empty();
        }
        String target = Files.readSymbolicLink(current).toString();
        resolved.remove(resolved.size() - 1);
        if (target.startsWith("/")) {
          resolved.clear();
        }
        List<String> targetParts = new ArrayList<>(List.of(target.split("/")));
        Collections.reverse(targetParts);
        targetParts.forEach(todo::addFirst);
      } else if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
    }
    return Optional.of(hostPath(resolved));
  }

  private Path hostPath(List<String> parts) {
    Path p = root;
    for (String part : parts) {
      p = p.resolve(part);
    }
    return p;
  }

  private static int modeOf(Path path) {
    try {
      return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@link FilePermissions} for a Unix mode. Its public factories accept only the nine rwx bits, but
   * jib's tar writer ORs {@link FilePermissions#getPermissionBits()} into the entry mode unchanged,
   * so the package-private int constructor carries setuid/setgid/sticky through ({@code /tmp} must be
   * 1777). If a future jib closes that door the special bits are dropped and reported instead.
   */
  static FilePermissions permissions(int mode) {
    int bits = mode & 07777;
    if ((bits & 07000) != 0 && WITH_SPECIAL_BITS != null) {
      try {
        return WITH_SPECIAL_BITS.newInstance(bits);
      } catch (ReflectiveOperationException e) {
        // fall through: keep the rwx bits
      }
    }
    return FilePermissions.fromOctalString(String.format("%03o", bits & 0777));
  }

  private static Constructor<FilePermissions> specialBitsConstructor() {
    try {
      Constructor<FilePermissions> c = FilePermissions.class.getDeclaredConstructor(int.class);
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
