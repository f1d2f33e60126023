package dev.releasegate.stages.cyclonedx;

import dev.releasegate.evidence.Digests;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The files of an image that an SBOM is made from, found by reading its layers in order as streams.
 * Only what identifies software is kept (package records, copyright licences, release files, jar
 * metadata and hashes, the application's file hashes, symbolic links); everything else passes by.
 *
 * <p>Layers are applied as a container runtime would: a later file replaces an earlier one, a file
 * replaces a directory and everything in it, {@code .wh.NAME} deletes NAME from lower layers and
 * {@code .wh..wh..opq} empties its directory of lower layers' content (OCI image spec, "Whiteouts").
 * So a package or jar that a later layer deleted is not in the SBOM.
 */
final class ImageFiles {
  static final String DPKG_STATUS = "/var/lib/dpkg/status";
  static final String DPKG_STATUS_D = "/var/lib/dpkg/status.d/";
  static final List<String> OS_RELEASE = List.of("/etc/os-release", "/usr/lib/os-release");
  private static final Pattern COPYRIGHT = Pattern.compile("/usr/share/doc/[^/]+/copyright");
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int MAX_STATUS = 32 << 20;
  private static final int MAX_STATUS_D = 1 << 20;
  private static final int MAX_COPYRIGHT = 4 << 20;
  private static final int MAX_RELEASE = 64 << 10;
  private static final int MAX_SYMLINK_HOPS = 40;

  /** A file the SBOM needs, with the layer (0-based) that wrote it. */
  sealed interface Tracked permits Symlink, StatusFile, Copyright, KeyValues, JarFile, AppFile {
    int layer();

    /** The same content written by another layer (a hard link). */
    Tracked at(int layer);
  }

  record Symlink(int layer, String target) implements Tracked {
    public Tracked at(int other) {
      return new Symlink(other, target);
    }
  }

  record StatusFile(int layer, List<Dpkg.Package> packages) implements Tracked {
    public Tracked at(int other) {
      return new StatusFile(other, packages);
    }
  }

  /** @param licenses empty when the file is not machine-readable */
  record Copyright(int layer, Optional<List<String>> licenses) implements Tracked {
    public Tracked at(int other) {
      return new Copyright(other, licenses);
    }
  }

  /** An os-release file, or a Java runtime's {@code release} file. */
  record KeyValues(int layer, Map<String, String> values) implements Tracked {
    public Tracked at(int other) {
      return new KeyValues(other, values);
    }
  }

  record JarFile(int layer, Jars.JarInfo info) implements Tracked {
    public Tracked at(int other) {
      return new JarFile(other, info);
    }
  }

  /** A file of the application's classes or resources tree. */
  record AppFile(int layer, String sha256, long size) implements Tracked {
    public Tracked at(int other) {
      return new AppFile(other, sha256, size);
    }
  }

  private final String appRoot;
  private final TreeMap<String, Tracked> files = new TreeMap<>();
  private final List<String> warnings = new ArrayList<>();

  /** @param appRoot where the application's classes/ and resources/ are, e.g. {@code /app} */
  ImageFiles(String appRoot) {
    this.appRoot = normalize(appRoot);
  }

  String appRoot() {
    return appRoot;
  }

  /**
   * Applies one layer blob: gzip-compressed or plain tar, told apart by their first bytes. Returns
   * the {@code sha256:} digest of the uncompressed tar, which is the layer's diff_id in the image
   * config, so the caller can prove these files are the image's.
   *
   * @throws IOException when the blob is not a tar (or tar.gz) archive; zstd is named as such
   */
  String applyBlob(int layer, InputStream blob) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(blob, 65536);
    buffered.mark(4);
    byte[] magic = buffered.readNBytes(4);
    buffered.reset();
    InputStream tar;
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      tar = new GZIPInputStream(buffered, 65536);
    } else if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
        && (magic[3] & 0xff) == 0xfd) {
      throw new IOException("it is zstd-compressed, which this stage cannot read (gzip and plain tar only)");
    } else {
      tar = buffered;
    }
    MessageDigest diffId = Digests.sha256();
    apply(layer, new DigestInputStream(tar, diffId));
    return "sha256:" + HexFormat.of().formatHex(diffId.digest());
  }

  /** Applies one uncompressed layer tar on top of the layers applied before. */
  void apply(int layer, InputStream stream) throws IOException {
    TarReader tar = new TarReader(stream);
    for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
      String path = normalize(entry.name());
      if (path.equals("/")) {
        continue;
      }
      String name = path.substring(path.lastIndexOf('/') + 1);
      String directory = parent(path);
      if (name.equals(OPAQUE)) {
        removeUnder(directory, layer);
        continue;
      }
      if (name.startsWith(WHITEOUT)) {
        String deleted = child(directory, name.substring(WHITEOUT.length()));
        removeLower(deleted, layer);
        removeUnder(deleted, layer);
        continue;
      }
      if (entry.isDirectory()) {
        // A directory replaces a file or link of the same path; its lower contents stay.
        files.remove(path);
        continue;
      }
      removeUnder(path, layer);
      files.remove(path);
      Tracked tracked = classify(layer, path, entry, tar);
      if (tracked != null) {
        files.put(path, tracked);
      }
    }
    tar.drain();
  }

  private Tracked classify(int layer, String path, TarReader.Entry entry, TarReader tar) throws IOException {
    if (entry.isSymlink()) {
      return new Symlink(layer, entry.linkName());
    }
    if (entry.isHardlink()) {
      Tracked target = files.get(normalize(entry.linkName()));
      return target == null ? null : target.at(layer);
    }
    if (!entry.isRegularFile()) {
      return null;
    }
    if (path.startsWith(appRoot + "/classes/") || path.startsWith(appRoot + "/resources/")) {
      MessageDigest sha256 = Digests.sha256();
      try (InputStream in = new DigestInputStream(tar.content(), sha256)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return new AppFile(layer, HexFormat.of().formatHex(sha256.digest()), entry.size());
    }
    if (path.equals(DPKG_STATUS)) {
      return small(tar, entry, path, MAX_STATUS).map(bytes -> new StatusFile(layer, Dpkg.parse(bytes))).orElse(null);
    }
    if (path.startsWith(DPKG_STATUS_D) && path.indexOf('/', DPKG_STATUS_D.length()) < 0) {
      // distroless keeps each package's file list next to its record as NAME.md5sums: not a record.
      if (path.endsWith(".md5sums")) {
        return null;
      }
      return small(tar, entry, path, MAX_STATUS_D).map(bytes -> new StatusFile(layer, Dpkg.parse(bytes))).orElse(null);
    }
    if (COPYRIGHT.matcher(path).matches()) {
      return small(tar, entry, path, MAX_COPYRIGHT).map(bytes -> new Copyright(layer, DebianCopyright.licenses(bytes))).orElse(null);
    }
    if (OS_RELEASE.contains(path)) {
      return small(tar, entry, path, MAX_RELEASE).map(bytes -> new KeyValues(layer, keyValues(bytes))).orElse(null);
    }
    if (path.endsWith("/release") && entry.size() <= MAX_RELEASE) {
      // A JDK or JRE's release file (JAVA_VERSION, IMPLEMENTOR, ...); other files named release are not.
      Map<String, String> values = keyValues(tar.content().readAllBytes());
      return values.containsKey("JAVA_VERSION") ? new KeyValues(layer, values) : null;
    }
    if (Jars.isArchive(path)) {
      return new JarFile(layer, Jars.inspect(tar.content(), 1));
    }
    return null;
  }

  private Optional<byte[]> small(TarReader tar, TarReader.Entry entry, String path, int limit) throws IOException {
    if (entry.size() > limit) {
      warnings.add(path + " is " + entry.size() + " bytes, more than the " + limit + " read; it was left out");
      return Optional.empty();
    }
    return Optional.of(tar.content().readAllBytes());
  }

  /** Deletes what lower layers put under {@code directory} (not the directory itself). */
  private void removeUnder(String directory, int layer) {
    String prefix = directory.equals("/") ? "/" : directory + "/";
    // '/' + 1 == '0': every key that starts with prefix sorts before prefix with its '/' replaced by '0'.
    String end = prefix.substring(0, prefix.length() - 1) + "0";
    Iterator<Map.Entry<String, Tracked>> under = files.subMap(prefix, true, end, false).entrySet().iterator();
    while (under.hasNext()) {
      if (under.next().getValue().layer() < layer) {
        under.remove();
      }
    }
  }

  private void removeLower(String path, int layer) {
    Tracked existing = files.get(path);
    if (existing != null && existing.layer() < layer) {
      files.remove(path);
    }
  }

  /** Every tracked file of the image as it is after the last layer, by absolute path. */
  NavigableMap<String, Tracked> files() {
    return Collections.unmodifiableNavigableMap(files);
  }

  /** Files that were too large to read, each with the reason. */
  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The tracked file at {@code path}, following symbolic links in every path component, as the kernel would. */
  Optional<Tracked> find(String path) {
    return resolve(path).map(files::get).filter(tracked -> !(tracked instanceof Symlink));
  }

  /** {@code path} with every symbolic link in it replaced by its target; empty for a link loop. */
  Optional<String> resolve(String path) {
    String current = normalize(path);
    for (int hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
      String replaced = null;
      int at = 0;
      while (at < current.length()) {
        int next = current.indexOf('/', at + 1);
        String prefix = next < 0 ? current : current.substring(0, next);
        if (files.get(prefix) instanceof Symlink link) {
          String target = link.target().startsWith("/") ? link.target() : parent(prefix) + "/" + link.target();
          replaced = normalize(target + (next < 0 ? "" : current.substring(next)));
          break;
        }
        at = next < 0 ? current.length() : next;
      }
      if (replaced == null) {
        return Optional.of(current);
      }
      current = replaced;
    }
    return Optional.empty();
  }

  /** An absolute path without {@code .}, {@code ..}, empty or trailing components; {@code ..} stops at the root. */
  static String normalize(String name) {
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

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static String child(String directory, String name) {
    return directory.equals("/") ? "/" + name : directory + "/" + name;
  }

  /**
   * {@code KEY=value} lines as os-release(5) and a JDK's release file write them: values optionally
   * in double or single quotes, backslash escapes inside double quotes, comments and blanks ignored.
   */
  static Map<String, String> keyValues(byte[] content) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : new String(content, StandardCharsets.UTF_8).split("\r?\n")) {
      String trimmed = line.strip();
      int equals = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || equals <= 0) {
        continue;
      }
      String key = trimmed.substring(0, equals).strip();
      String value = trimmed.substring(equals + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1).replaceAll("\\\\([\"\\\\$`])", "$1");
      } else if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(key, value);
    }
    return values;
  }
}
