package dev.releasegate.image;

import dev.releasegate.base.Digests;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;

/**
 * Reads one layer blob as a stream, entry by entry, with commons-compress: gzip or plain tar (told
 * apart by their first bytes), ustar, PAX and GNU headers. No file's content is held; the caller reads
 * what it wants of each entry and the rest is skipped. The blob is read to its very end, so that the
 * gzip trailer's CRC is checked, the sizes count every byte and the diff_id covers the whole tar.
 *
 * <p>A layer comes from a registry, so what commons-compress accepts leniently is checked here: every
 * entry header's checksum (random bytes must not read as odd file names; PAX and GNU long-name blocks
 * are parsed by commons-compress, which refuses malformed ones), and that the tar stream ends on a
 * 512-byte record (commons-compress may take a header cut short for the end of the archive). Numeric
 * fields that image builders never rely on (mode, owner, times, devices) are parsed leniently, as the
 * tools that write layers do not all fill them in the same way. Any other damaged byte changes the
 * diff_id, which {@link RemoteImage} compares with the image config.
 *
 * <p>A layer is bounded by what it expands to, not by what it weighs: a few hundred kilobytes of gzip
 * can hold gigabytes of tar, and a few kilobytes of PAX sparse headers terabytes of files. Both the tar
 * stream and the files' extracted sizes (a sparse file counts its full size, as an extracting runtime
 * writes it) are limited to {@link #MAX_EXPANDED_BYTES}; the unread rest of a sparse file is skipped
 * without producing its holes. Reading stops when the thread is interrupted, so a stage's deadline
 * holds inside a layer too.
 */
final class LayerReader {
  /** Called for each entry; {@code content} ends with the entry and must not be closed. */
  @FunctionalInterface
  interface Visitor {
    void visit(LayerEntry entry, InputStream content) throws IOException;
  }

  /** The layer expands to more than {@link #MAX_EXPANDED_BYTES}. */
  static final class TooLarge extends IOException {
    TooLarge(String message) {
      super(message);
    }
  }

  private static final int RECORD = TarConstants.DEFAULT_RCDSIZE;
  /** Read in 64 KiB steps: a decompressing stream inflates as much as it is asked for per call. */
  private static final int BUFFER = 1 << 16;
  /** zstd's frame magic is four bytes, gzip's two. */
  private static final int SIGNATURE = 4;
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  /** Larger than any layer an application image has; the largest machine-learning layers are about half. */
  static final long MAX_EXPANDED_BYTES = 32L << 30;

  private final long limit;
  private final Meter raw;
  private final BufferedInputStream buffered;
  private final byte[] scratch = new byte[BUFFER];
  private boolean gzip;
  private Meter tar;
  private TarArchiveInputStream archive;

  private LayerReader(InputStream blob, long limit) {
    this.limit = limit;
    this.raw = new Meter(blob, null, Long.MAX_VALUE);
    this.buffered = new BufferedInputStream(raw, BUFFER);
  }

  /**
   * Reads {@code blob} to its end, calling {@code visitor} for every entry in archive order.
   *
   * @throws IOException when the blob is not a tar or tar.gz archive (zstd is named as such), is cut
   *     short or corrupt, or when the visitor throws
   */
  static LayerSummary read(InputStream blob, Visitor visitor) throws IOException {
    return read(blob, visitor, MAX_EXPANDED_BYTES);
  }

  /** As {@link #read(InputStream, Visitor)}, with {@code limit} for the tar stream and for the files' extracted sizes. */
  static LayerSummary read(InputStream blob, Visitor visitor, long limit) throws IOException {
    return new LayerReader(blob, limit).read(visitor);
  }

  private LayerSummary read(Visitor visitor) throws IOException {
    tar = new Meter(decompressed(), Digests.sha256(), limit);
    archive = new TarArchiveInputStream(tar, TarConstants.DEFAULT_BLKSIZE, RECORD, StandardCharsets.UTF_8.name(), true);
    int entries = 0;
    long fileBytes = 0;
    for (TarArchiveEntry header = next(); header != null; header = next()) {
      entries++;
      Content content = new Content(entry(header), header.isSparse());
      fileBytes += content.entry.size();
      if (fileBytes > limit) {
        throw new TooLarge("its files add up to more than " + size(limit) + " once extracted (" + content.entry.path()
            + " alone is " + content.entry.size() + " bytes)");
      }
      visitor.visit(content.entry, content);
      content.skipRest();
    }
    try {
      drain(tar);
    } catch (IOException e) {
      throw orElse(beneath(e, "at byte " + tar.count), e);
    }
    // Already at its end (the gzip reader and the tar reader read to the end); read it to be sure the size is the blob's.
    drain(buffered);
    if (tar.count % RECORD != 0) {
      throw new EOFException("tar archive truncated at byte " + tar.count);
    }
    return new LayerSummary(raw.count, tar.count, "sha256:" + HexFormat.of().formatHex(tar.digest.digest()), entries, fileBytes);
  }

  private static String size(long bytes) {
    return bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB" : bytes + " bytes";
  }

  private InputStream decompressed() throws IOException {
    buffered.mark(SIGNATURE);
    byte[] signature = buffered.readNBytes(SIGNATURE);
    buffered.reset();
    if (ZstdUtils.matches(signature, signature.length)) {
      throw new IOException("it is zstd-compressed; releasegate reads gzip and plain tar layers");
    }
    if (!GzipCompressorInputStream.matches(signature, signature.length)) {
      return buffered;
    }
    gzip = true;
    try {
      // Concatenated members are one stream, as gzip(1) and Go's gzip reader read them.
      return new GzipCompressorInputStream(buffered, true);
    } catch (IOException e) {
      throw compressed(e);
    }
  }

  private TarArchiveEntry next() throws IOException {
    // The previous entry's content has been read to its end, so its headers (PAX, GNU long names, the
    // entry's own) begin at the next record.
    long start = (archive.getBytesRead() + RECORD - 1) / RECORD * RECORD;
    TarArchiveEntry header;
    try {
      header = archive.getNextEntry();
    } catch (IOException e) {
      throw orElse(beneath(e, "at byte " + tar.count),
          new IOException("not a tar archive: bad header at byte " + start + " (" + e.getMessage() + ")", e));
    }
    if (header != null && !header.isCheckSumOK()) {
      // The entry's own header is the last record commons-compress read.
      throw new IOException("not a tar archive: header checksum mismatch at byte " + (archive.getBytesRead() - RECORD));
    }
    return header;
  }

  /**
   * What failed beneath the tar reader when it threw {@code e}: the gzip stream (with its own error),
   * or the data ended early; null when the stream beneath is fine, so the tar format is at fault.
   */
  private IOException beneath(IOException e, String where) {
    if (tar.failure != null) {
      return compressed(tar.failure);
    }
    if (tar.ended) {
      EOFException truncated = new EOFException("tar archive truncated " + where);
      truncated.initCause(e);
      return truncated;
    }
    return null;
  }

  private static IOException orElse(IOException beneath, IOException otherwise) {
    return beneath != null ? beneath : otherwise;
  }

  /** java.util.zip reports a gzip stream that stops early as an EOFException without a message. */
  private IOException compressed(IOException e) {
    if (e.getMessage() != null) {
      return e;
    }
    EOFException described = new EOFException(gzip ? "the gzip stream ends early" : "the blob ends early");
    described.initCause(e);
    return described;
  }

  private void drain(InputStream in) throws IOException {
    while (in.read(scratch) >= 0) {
      // discarded: end-of-archive blocks and padding, which the digest and the sizes still count
    }
  }

  private static void interrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("stopped while reading the layer");
    }
  }

  /** One byte through {@code in}'s bulk read, so that the bulk read is the one place that counts and maps errors. */
  private static int readOne(InputStream in) throws IOException {
    byte[] one = new byte[1];
    return in.read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  private static LayerEntry entry(TarArchiveEntry header) {
    String path = ImagePath.normalize(header.getName());
    String name = ImagePath.name(path);
    if (name.equals(OPAQUE)) {
      return new LayerEntry(ImagePath.parent(path), LayerEntry.Type.OPAQUE_WHITEOUT, 0, "");
    }
    if (name.startsWith(WHITEOUT)) {
      return new LayerEntry(ImagePath.child(ImagePath.parent(path), name.substring(WHITEOUT.length())), LayerEntry.Type.WHITEOUT, 0, "");
    }
    byte flag = header.getLinkFlag();
    if (flag == TarConstants.LF_SYMLINK) {
      return new LayerEntry(path, LayerEntry.Type.SYMLINK, 0, header.getLinkName());
    }
    if (flag == TarConstants.LF_LINK) {
      return new LayerEntry(path, LayerEntry.Type.HARDLINK, 0, ImagePath.normalize(header.getLinkName()));
    }
    boolean regular = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
    if (flag == TarConstants.LF_DIR || (regular && header.getName().endsWith("/"))) {
      return new LayerEntry(path, LayerEntry.Type.DIRECTORY, 0, "");
    }
    if (regular) {
      // The real size: a PAX sparse file reads as its expanded content, holes as zeros.
      return new LayerEntry(path, LayerEntry.Type.FILE, header.getRealSize(), "");
    }
    return new LayerEntry(path, LayerEntry.Type.OTHER, 0, "");
  }

  /** The current entry's content: read errors say which entry; the reader skips the unread rest in large steps. */
  private final class Content extends InputStream {
    private final LayerEntry entry;
    private final boolean sparse;

    Content(LayerEntry entry, boolean sparse) {
      this.entry = entry;
      this.sparse = sparse;
    }

    @Override
    public int read() throws IOException {
      return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      interrupted();
      try {
        return archive.read(b, off, len);
      } catch (IOException e) {
        throw orElse(beneath(e, "inside " + entry.path()), e);
      }
    }

    @Override
    public void close() {
      // The archive owns the stream; the rest of the entry is skipped by the reader.
    }

    void skipRest() throws IOException {
      if (sparse) {
        // The holes are not in the stream: skipping them costs nothing, reading them costs their size.
        try {
          while (archive.skip(Long.MAX_VALUE) > 0) {
            interrupted();
          }
        } catch (IOException e) {
          throw orElse(beneath(e, "inside " + entry.path()), e);
        }
      }
      while (read(scratch, 0, scratch.length) >= 0) {
        // discarded
      }
    }
  }

  /**
   * Counts (and optionally hashes) every byte read through it, and remembers how the stream beneath
   * ended, so that a failure can be told apart: the data ended, the stream beneath failed, or the tar
   * format is wrong. skip() and mark() are InputStream's own: a skip reads (so skipped padding is
   * counted and hashed too), and there is no mark to rewind over bytes already hashed.
   */
  private static final class Meter extends InputStream {
    private final InputStream in;
    final MessageDigest digest;
    private final long limit;
    long count;
    boolean ended;
    IOException failure;

    Meter(InputStream in, MessageDigest digest, long limit) {
      this.in = in;
      this.digest = digest;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      return readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      ended |= n < 0;
      count += Math.max(n, 0);
      if (count > limit) {
        failure = new TooLarge("it decompresses to more than " + size(limit));
        throw failure;
      }
      if (digest != null && n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }
  }
}
