package dev.releasegate.stages.cyclonedx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Small synthetic layers and jars for unit tests, written with commons-compress (as jib writes
 * layers) and java.util.jar: an independent writer for the stage's own tar reader to read.
 */
final class TestLayers {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  private TestLayers(int longFileMode) {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(longFileMode);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** A layer whose long names become PAX headers, as jib writes them. */
  static TestLayers layer() {
    return new TestLayers(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /** A layer whose long names become GNU ././@LongLink entries, as GNU tar writes them. */
  static TestLayers gnuLayer() {
    return new TestLayers(TarArchiveOutputStream.LONGFILE_GNU);
  }

  TestLayers file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  TestLayers file(String path, byte[] content) {
    TarArchiveEntry entry = new TarArchiveEntry(path);
    entry.setSize(content.length);
    return put(entry, content);
  }

  TestLayers directory(String path) {
    return put(new TarArchiveEntry(path.endsWith("/") ? path : path + "/"), new byte[0]);
  }

  TestLayers symlink(String path, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
    entry.setLinkName(target);
    return put(entry, new byte[0]);
  }

  TestLayers hardlink(String path, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(path, TarArchiveEntry.LF_LINK);
    entry.setLinkName(target);
    return put(entry, new byte[0]);
  }

  /** An OCI whiteout: deletes {@code path} of lower layers. */
  TestLayers whiteout(String path) {
    int slash = path.lastIndexOf('/');
    return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
  }

  /** An OCI opaque whiteout: empties {@code directory} of lower layers' content. */
  TestLayers opaque(String directory) {
    return file(directory + "/.wh..wh..opq", new byte[0]);
  }

  private TestLayers put(TarArchiveEntry entry, byte[] content) {
    try {
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The uncompressed tar. */
  byte[] tar() {
    try {
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A jar with a manifest (attributes given, may be empty) and the given entries, in order. */
  static byte[] jar(Map<String, String> manifest, Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach((name, value) -> mf.getMainAttributes().putValue(name, value));
    try (JarOutputStream jar = new JarOutputStream(out, mf)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        jar.putNextEntry(new ZipEntry(entry.getKey()));
        jar.write(entry.getValue());
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A Maven-built jar: pom.properties (and optionally pom.xml) for G:A:V, plus one class. */
  static byte[] mavenJar(String group, String artifact, String version, String pomXml) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(pomPropertiesPath(group, artifact), pomProperties(group, artifact, version));
    if (pomXml != null) {
      entries.put("META-INF/maven/" + group + "/" + artifact + "/pom.xml", pomXml.getBytes(StandardCharsets.UTF_8));
    }
    entries.put(group.replace('.', '/') + "/" + artifact.replace('-', '_') + "/Api.class", new byte[] {(byte) 0xca, (byte) 0xfe});
    return jar(Map.of("Created-By", "test"), entries);
  }

  static String pomPropertiesPath(String group, String artifact) {
    return "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
  }

  static byte[] pomProperties(String group, String artifact, String version) {
    return ("#Generated by Maven\ngroupId=" + group + "\nartifactId=" + artifact + "\nversion=" + version + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A pom.xml that declares {@code dependencies} ("g:a" or "g:a:scope" or "g:a:compile:optional"). */
  static String pomXml(String group, String artifact, String... dependencies) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<project><modelVersion>4.0.0</modelVersion>")
        .append("<groupId>").append(group).append("</groupId><artifactId>").append(artifact).append("</artifactId><dependencies>");
    for (String dependency : dependencies) {
      String[] parts = dependency.split(":");
      xml.append("<dependency><groupId>").append(parts[0]).append("</groupId><artifactId>").append(parts[1]).append("</artifactId>");
      if (parts.length > 2) {
        xml.append("<scope>").append(parts[2]).append("</scope>");
      }
      if (parts.length > 3) {
        xml.append("<optional>true</optional>");
      }
      xml.append("</dependency>");
    }
    return xml.append("</dependencies></project>\n").toString();
  }
}
