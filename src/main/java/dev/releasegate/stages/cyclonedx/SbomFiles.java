package dev.releasegate.stages.cyclonedx;

import dev.releasegate.base.Digests;
import dev.releasegate.image.FileSelector;
import dev.releasegate.image.ImageFiles;
import dev.releasegate.image.LayerChanges;
import dev.releasegate.image.LayerEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What of one layer's files an SBOM is made from: package records, copyright licences, release files,
 * jar metadata and hashes, and the application's file hashes. Everything else streams past. One
 * instance reads one layer; {@link dev.releasegate.image.ImageFiles} then applies the layers, so that
 * a package or jar a later layer deleted is not in the SBOM.
 */
final class SbomFiles implements FileSelector<SbomFiles.Tracked> {
  static final String DPKG_STATUS = "/var/lib/dpkg/status";
  static final String DPKG_STATUS_D = "/var/lib/dpkg/status.d/";
  static final List<String> OS_RELEASE = List.of("/etc/os-release", "/usr/lib/os-release");
  private static final Pattern COPYRIGHT = Pattern.compile("/usr/share/doc/[^/]+/copyright");
  private static final int MAX_STATUS = 32 << 20;
  private static final int MAX_STATUS_D = 1 << 20;
  private static final int MAX_COPYRIGHT = 4 << 20;
  private static final int MAX_RELEASE = 64 << 10;

  /** A file the SBOM needs, parsed. */
  sealed interface Tracked permits StatusFile, Copyright, KeyValues, JarFile, AppFile {}

  record StatusFile(List<Dpkg.Package> packages) implements Tracked {}

  /** @param licenses empty when the file is not machine-readable */
  record Copyright(Optional<List<String>> licenses) implements Tracked {}

  /** An os-release file, or a Java runtime's {@code release} file. */
  record KeyValues(Map<String, String> values) implements Tracked {}

  record JarFile(Jars.JarInfo info) implements Tracked {}

  /** A file of the application's classes or resources tree. */
  record AppFile(String sha256, long size) implements Tracked {}

  /**
   * The image's files as the SBOM sees them.
   *
   * @param appRoot where the application's classes/ and resources/ are
   * @param tree the tracked files after the last layer
   * @param warnings files too large to read, layer by layer
   */
  record Merged(String appRoot, ImageFiles<Tracked> tree, List<String> warnings) {
    Merged {
      warnings = List.copyOf(warnings);
    }

    /** Applies layers read with {@code selectors} (one per layer, in the same order). */
    static Merged of(String appRoot, List<SbomFiles> selectors, List<LayerChanges<Tracked>> layers) {
      return new Merged(appRoot, ImageFiles.merge(layers), selectors.stream().flatMap(selector -> selector.warnings.stream()).toList());
    }
  }

  private final String appRoot;
  private final List<String> warnings = new ArrayList<>();

  /** @param appRoot where the application's classes/ and resources/ are, e.g. {@code /app} (normalized) */
  SbomFiles(String appRoot) {
    this.appRoot = appRoot;
  }

  @Override
  public Tracked select(LayerEntry entry, InputStream content) throws IOException {
    if (entry.type() != LayerEntry.Type.FILE) {
      return null; // a hard link gets what its target has
    }
    String path = entry.path();
    if (path.startsWith(appRoot + "/classes/") || path.startsWith(appRoot + "/resources/")) {
      MessageDigest sha256 = Digests.sha256();
      new DigestInputStream(content, sha256).transferTo(OutputStream.nullOutputStream());
      return new AppFile(HexFormat.of().formatHex(sha256.digest()), entry.size());
    }
    if (path.equals(DPKG_STATUS)) {
      return small(content, entry, MAX_STATUS).map(bytes -> new StatusFile(Dpkg.parse(bytes))).orElse(null);
    }
    if (path.startsWith(DPKG_STATUS_D) && path.indexOf('/', DPKG_STATUS_D.length()) < 0) {
      // distroless keeps each package's file list next to its record as NAME.md5sums: not a record.
      if (path.endsWith(".md5sums")) {
        return null;
      }
      return small(content, entry, MAX_STATUS_D).map(bytes -> new StatusFile(Dpkg.parse(bytes))).orElse(null);
    }
    if (COPYRIGHT.matcher(path).matches()) {
      return small(content, entry, MAX_COPYRIGHT).map(bytes -> new Copyright(DebianCopyright.licenses(bytes))).orElse(null);
    }
    if (OS_RELEASE.contains(path)) {
      return small(content, entry, MAX_RELEASE).map(bytes -> new KeyValues(keyValues(bytes))).orElse(null);
    }
    if (path.endsWith("/release") && entry.size() <= MAX_RELEASE) {
      // A JDK or JRE's release file (JAVA_VERSION, IMPLEMENTOR, ...); other files named release are not.
      Map<String, String> values = keyValues(content.readAllBytes());
      return values.containsKey("JAVA_VERSION") ? new KeyValues(values) : null;
    }
    if (Jars.isArchive(path)) {
      return new JarFile(Jars.inspect(content, 1));
    }
    return null;
  }

  private Optional<byte[]> small(InputStream content, LayerEntry entry, int limit) throws IOException {
    if (entry.size() > limit) {
      warnings.add(entry.path() + " is " + entry.size() + " bytes, more than the " + limit + " read; it was left out");
      return Optional.empty();
    }
    return Optional.of(content.readAllBytes());
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
