package dev.releasegate.stages.cyclonedx;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a tar stream entry by entry without buffering file contents: ustar and GNU headers, PAX
 * extended headers ({@code path}, {@code linkpath}, {@code size}) and GNU long names, which is what
 * image layers are written with (jib and Docker use commons-compress or Go's archive/tar).
 *
 * <p>A layer's bytes come from a registry, so every header's checksum is verified: random or
 * truncated data is reported as "not a tar archive", never read as a list of odd file names.
 *
 * <p>Why not commons-compress: it reaches this project only as a runtime dependency of jib-core, so
 * the stage cannot compile against it; the test sources (whose class path includes it) use it to
 * write the layers this reader is tested with.
 */
final class TarReader {
  private static final int BLOCK = 512;
  /** GNU long names and PAX headers are read into memory; real ones are a few hundred bytes. */
  private static final int MAX_HEADER_DATA = 1 << 20;

  /** One member of the archive. {@code type} is the raw typeflag byte as a char. */
  record Entry(String name, char type, long size, String linkName) {
    boolean isDirectory() {
      return type == '5' || (isRegularType() && name.endsWith("/"));
    }

    boolean isRegularFile() {
      return isRegularType() && !name.endsWith("/");
    }

    boolean isSymlink() {
      return type == '2';
    }

    boolean isHardlink() {
      return type == '1';
    }

    private boolean isRegularType() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private long position;
  private long remaining;
  private long padding;
  private boolean finished;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive. Skips what is left of the previous entry. */
  Entry next() throws IOException {
    if (finished) {
      return null;
    }
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
    String longName = null;
    String longLink = null;
    Map<String, String> pax = Map.of();
    while (true) {
      long start = position;
      int read = readBlock(header);
      if (read == 0) {
        // Some writers stop without the two zero blocks; a clean end at a block boundary is an end.
        finished = true;
        return null;
      }
      if (read < BLOCK) {
        throw new EOFException("tar archive truncated in the header at byte " + start);
      }
      if (allZero(header)) {
        finished = true;
        return null;
      }
      verifyChecksum(start);
      char type = (char) (header[156] & 0xff);
      long size = number(124, 12, start);
      switch (type) {
        case 'L' -> longName = text(readData(size, start));
        case 'K' -> longLink = text(readData(size, start));
        case 'x' -> pax = pax(readData(size, start), start);
        case 'g' -> skipFully(size + pad(size)); // global defaults (comments, mtime): nothing we use
        default -> {
          String name = pax.getOrDefault("path", longName != null ? longName : ustarName());
          String link = pax.getOrDefault("linkpath", longLink != null ? longLink : field(157, 100));
          if (pax.containsKey("size")) {
            size = paxSize(pax.get("size"), start);
          }
          // Links, directories and devices have no data blocks, whatever their size field says.
          boolean hasData = type == '0' || type == '\0' || type == '7' || Character.isUpperCase(type);
          remaining = hasData ? size : 0;
          padding = hasData ? pad(size) : 0;
          return new Entry(name, type, hasData ? size : 0, link);
        }
      }
    }
  }

  /**
   * The current entry's data. Reading it is optional: {@link #next()} skips what is left. Closing
   * it does not close the archive.
   */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("tar archive truncated inside an entry at byte " + position);
        }
        remaining -= n;
        position += n;
        return n;
      }

      @Override
      public void close() {
        // The archive owns the stream.
      }
    };
  }

  /** Reads to the end of the underlying stream, so that a digest over it covers every byte. */
  void drain() throws IOException {
    byte[] buffer = new byte[65536];
    while (in.read(buffer) >= 0) {
      // discard: trailing zero blocks and record padding
    }
  }

  private int readBlock(byte[] block) throws IOException {
    int total = 0;
    while (total < BLOCK) {
      int n = in.read(block, total, BLOCK - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    position += total;
    return total;
  }

  private byte[] readData(long size, long headerAt) throws IOException {
    if (size > MAX_HEADER_DATA) {
      throw new IOException("tar extended header at byte " + headerAt + " is " + size + " bytes, more than " + MAX_HEADER_DATA);
    }
    byte[] data = in.readNBytes((int) size);
    position += data.length;
    if (data.length < size) {
      throw new EOFException("tar archive truncated in an extended header at byte " + headerAt);
    }
    skipFully(pad(size));
    return data;
  }

  private void skipFully(long count) throws IOException {
    long left = count;
    byte[] buffer = left > 0 ? new byte[(int) Math.min(65536, left)] : null;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("tar archive truncated at byte " + position);
      }
      left -= n;
      position += n;
    }
  }

  private void verifyChecksum(long start) throws IOException {
    long stored;
    try {
      stored = octal(148, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive: no valid header at byte " + start);
    }
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
      unsigned += b & 0xff;
      signed += b;
    }
    // Old Unix tars summed signed bytes; both are accepted, as GNU tar and commons-compress do.
    if (stored != unsigned && stored != signed) {
      throw new IOException("not a tar archive: header checksum mismatch at byte " + start);
    }
  }

  /** A numeric field: octal text, or GNU base-256 (high bit set) for values beyond 8 GiB. */
  private long number(int offset, int length, long headerAt) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      if ((header[offset] & 0x40) != 0) {
        throw new IOException("negative size in tar header at byte " + headerAt);
      }
      long value = header[offset] & 0x3f;
      for (int i = 1; i < length; i++) {
        if ((value >>> 55) != 0) {
          throw new IOException("size too large in tar header at byte " + headerAt);
        }
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    try {
      return octal(offset, length);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive: bad number in header at byte " + headerAt);
    }
  }

  private long octal(int offset, int length) {
    int start = offset;
    int end = offset + length;
    while (start < end && (header[start] == ' ' || header[start] == 0)) {
      start++;
    }
    int stop = start;
    while (stop < end && header[stop] >= '0' && header[stop] <= '7') {
      stop++;
    }
    for (int i = stop; i < end; i++) {
      if (header[i] != ' ' && header[i] != 0) {
        throw new NumberFormatException("not octal");
      }
    }
    return start == stop ? 0 : Long.parseLong(new String(header, start, stop - start, StandardCharsets.US_ASCII), 8);
  }

  /** POSIX ustar splits long names into prefix and name; GNU tar uses that space for times instead. */
  private String ustarName() {
    String name = field(0, 100);
    boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r'
        && header[262] == 0;
    if (posix) {
      String prefix = field(345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private String field(int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String text(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  /** PAX records: {@code "LEN key=value\n"}, LEN counting the whole record in bytes. */
  private static Map<String, String> pax(byte[] data, long headerAt) throws IOException {
    Map<String, String> values = new HashMap<>();
    int at = 0;
    while (at < data.length) {
      if (data[at] == 0) {
        break;
      }
      int space = at;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("bad PAX header at byte " + headerAt);
      }
      int end = at + length;
      if (length <= space - at + 1 || end > data.length || data[end - 1] != '\n') {
        throw new IOException("bad PAX header at byte " + headerAt);
      }
      String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      if (equals <= 0) {
        throw new IOException("bad PAX header at byte " + headerAt);
      }
      values.put(record.substring(0, equals), record.substring(equals + 1));
      at = end;
    }
    return values;
  }

  private static long paxSize(String text, long headerAt) throws IOException {
    try {
      long size = Long.parseLong(text.strip());
      if (size < 0) {
        throw new NumberFormatException();
      }
      return size;
    } catch (NumberFormatException e) {
      throw new IOException("bad PAX size '" + text + "' at byte " + headerAt);
    }
  }

  private static long pad(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
