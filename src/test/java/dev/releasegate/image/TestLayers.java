package dev.releasegate.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Small synthetic layers for unit tests, written with commons-compress's tar writer (as jib writes
 * layers) and java.util.zip's gzip: a writer independent of the reading side, which uses
 * commons-compress's tar reader and gzip reader. Every entry has jib's file time (one second past the
 * epoch), so the same calls give the same bytes and short names need no PAX header.
 */
public final class TestLayers {
  private static final FileTime JIB_TIME = FileTime.from(Instant.ofEpochSecond(1));

  /** Keeps every file's text; a hard link gets its target's. */
  public static final FileSelector<String> TEXT =
      (entry, content) -> entry.type() == LayerEntry.Type.FILE ? new String(content.readAllBytes(), StandardCharsets.UTF_8) : null;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;
  private byte[] finished;

  private TestLayers(int longFileMode) {
    tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(longFileMode);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
  }

  /** A layer whose long names become PAX headers, as jib writes them. */
  public static TestLayers layer() {
    return new TestLayers(TarArchiveOutputStream.LONGFILE_POSIX);
  }

  /** A layer whose long names become GNU {@code ././@LongLink} entries, as GNU tar writes them. */
  public static TestLayers gnuLayer() {
    return new TestLayers(TarArchiveOutputStream.LONGFILE_GNU);
  }

  public TestLayers file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public TestLayers file(String path, byte[] content) {
    TarArchiveEntry entry = new TarArchiveEntry(path);
    entry.setSize(content.length);
    return put(entry, content);
  }

  public TestLayers directory(String path) {
    return put(new TarArchiveEntry(path.endsWith("/") ? path : path + "/"), new byte[0]);
  }

  public TestLayers symlink(String path, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
    entry.setLinkName(target);
    return put(entry, new byte[0]);
  }

  public TestLayers hardlink(String path, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_LINK);
    entry.setLinkName(target);
    return put(entry, new byte[0]);
  }

  /** An OCI whiteout: {@code dir/.wh.name} deletes {@code dir/name} of the layers below. */
  public TestLayers whiteout(String path) {
    int slash = path.lastIndexOf('/');
    return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
  }

  /** An OCI opaque whiteout: the folder's content in the layers below is hidden. */
  public TestLayers opaque(String directory) {
    return file(directory + "/.wh..wh..opq", new byte[0]);
  }

  private TestLayers put(TarArchiveEntry entry, byte[] content) {
    if (finished != null) {
      throw new IllegalStateException("the layer is already written");
    }
    entry.setModTime(JIB_TIME);
    try {
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** The uncompressed tar; the layer takes no more entries after this. */
  public byte[] tar() {
    if (finished == null) {
      try {
        tar.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      finished = bytes.toByteArray();
    }
    return finished.clone();
  }

  /** The tar, gzip-compressed: a layer blob as registries store them. */
  public byte[] gzip() {
    return gzip(tar());
  }

  public static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Reads a blob made here with {@code selector}, as a stage reads a layer from the registry. */
  public static <T> LayerChanges<T> read(byte[] blob, FileSelector<? extends T> selector) {
    try (InputStream in = new ByteArrayInputStream(blob)) {
      return LayerChanges.read(in, selector);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
