package dev.releasegate.stages.readiness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Synthetic layers, written with commons-compress (the tar implementation jib-core itself uses), so
 * that the lint's own tar reader is tested against an independent writer.
 */
final class TestLayers {
  /** A PEM private key block as tools write it; the base64 body is filler, no real key. */
  static final String PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";

  private final List<TarArchiveEntry> entries = new ArrayList<>();
  private final List<byte[]> contents = new ArrayList<>();
  private int longFileMode = TarArchiveOutputStream.LONGFILE_POSIX;

  static TestLayers layer() {
    return new TestLayers();
  }

  TestLayers file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  TestLayers file(String path, byte[] content) {
    TarArchiveEntry entry = new TarArchiveEntry(path);
    entry.setSize(content.length);
    entry.setMode(0644);
    entries.add(entry);
    contents.add(content);
    return this;
  }

  TestLayers directory(String path) {
    entries.add(new TarArchiveEntry(path.endsWith("/") ? path : path + "/"));
    contents.add(new byte[0]);
    return this;
  }

  TestLayers symlink(String path, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
    entry.setLinkName(target);
    entries.add(entry);
    contents.add(new byte[0]);
    return this;
  }

  /** An OCI whiteout: {@code dir/.wh.name} deletes {@code dir/name} of the layers below. */
  TestLayers whiteout(String path) {
    int slash = path.lastIndexOf('/');
    return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
  }

  /** An opaque whiteout: the folder's content in the layers below is hidden. */
  TestLayers opaque(String directory) {
    return file(directory + "/.wh..wh..opq", new byte[0]);
  }

  /** GNU long names ({@code ././@LongLink}) instead of pax headers for paths over 100 bytes. */
  TestLayers gnuLongNames() {
    longFileMode = TarArchiveOutputStream.LONGFILE_GNU;
    return this;
  }

  byte[] tar() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(longFileMode);
      for (int i = 0; i < entries.size(); i++) {
        tar.putArchiveEntry(entries.get(i));
        tar.write(contents.get(i));
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  byte[] gzip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(tar());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
