package dev.releasegate.stages.readiness;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a layer's tar stream entry by entry, without buffering content: ustar, POSIX pax ({@code path},
 * {@code linkpath}, {@code size}) and GNU long names, which together cover what image builders write.
 * jib-core's own tar support (commons-compress) is not on the compile class path, and a lint needs
 * only names, types and content.
 *
 * <p>Every header's checksum is verified, so bytes that are not a tar archive fail instead of
 * yielding an empty, "clean" layer.
 */
final class TarReader {
  private static final int BLOCK = 512;
  /** pax headers and GNU long names are read into memory; more than this is not a real header. */
  private static final int MAX_META_BYTES = 1 << 20;

  /**
   * One entry.
   *
   * @param path absolute and normalized, e.g. {@code /usr/bin/sh}; {@code /} for the root itself
   * @param type the tar type flag: {@code '0'} file, {@code '1'} hard link, {@code '2'} symlink, {@code '5'} directory, …
   * @param size content bytes that follow the header
   * @param linkTarget the target of a link, as written
   */
  record Entry(String path, char type, long size, String linkTarget) {

    boolean isFile() {
      return type == '0' || type == '\0' || type == '7';
    }

    boolean isLink() {
      return type == '1' || type == '2';
    }

    /** The last path segment. */
    String name() {
      return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The folder the entry is in, {@code /} at the top. */
    String parent() {
      int slash = path.lastIndexOf('/');
      return slash <= 0 ? "/" : path.substring(0, slash);
    }
  }

  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private final byte[] scratch = new byte[1 << 16];
  private long remaining;
  private long padding;

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, skipping what is left of the current one; null at the end of the archive. */
  Entry next() throws IOException {
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    String longName = null;
    String longLink = null;
    Map<String, String> pax = Map.of();
    while (true) {
      if (!readHeader()) {
        return null;
      }
      char type = (char) (header[156] & 0xff);
      long size = size();
      if (type == 'x' || type == 'L' || type == 'K' || type == 'g') {
        byte[] meta = readMeta(size, type);
        switch (type) {
          case 'x' -> pax = pax(meta);
          case 'L' -> longName = cString(meta, 0, meta.length);
          case 'K' -> longLink = cString(meta, 0, meta.length);
          default -> {
            // A global pax header sets defaults (charset, times); none of them names a file.
          }
        }
        continue;
      }
      String name = longName != null ? longName : pax.getOrDefault("path", headerName());
      String link = longLink != null ? longLink : pax.getOrDefault("linkpath", cString(header, 157, 100));
      if (pax.containsKey("size")) {
        try {
          size = Long.parseLong(pax.get("size"));
        } catch (NumberFormatException e) {
          throw new IOException("tar pax header has a bad size: " + pax.get("size"));
        }
      }
      // Links and directories carry no content, whatever their size field says (hard links in old GNU tars).
      if (type == '1' || type == '2' || type == '5') {
        size = 0;
      }
      if (size < 0) {
        throw new IOException("tar entry " + name + " has a negative size");
      }
      remaining = size;
      padding = (BLOCK - size % BLOCK) % BLOCK;
      return new Entry(normalize(name), type, size, link);
    }
  }

  /** The current entry's content; reading past it returns end of stream. Not to be closed by callers. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int read = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (read < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        remaining -= read;
        return read;
      }
    };
  }

  /** Absolute, without {@code .}, {@code ..} or doubled slashes; {@code ..} never climbs above the root. */
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

  /** Reads one header block; false at the end of the archive (a zero block, or no more bytes at all). */
  private boolean readHeader() throws IOException {
    int read = in.readNBytes(header, 0, BLOCK);
    if (read == 0) {
      return false;
    }
    if (read < BLOCK) {
      throw new EOFException("tar archive ends inside a header");
    }
    boolean zero = true;
    for (byte b : header) {
      if (b != 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      return false;
    }
    long expected = octal(148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int value = i >= 148 && i < 156 ? ' ' : header[i];
      unsigned += value & 0xff;
      signed += value;
    }
    // Some old tars summed signed bytes; both are accepted, as GNU tar does.
    if (expected != unsigned && expected != signed) {
      throw new IOException("not a tar archive: header checksum mismatch");
    }
    return true;
  }

  private String headerName() {
    String name = cString(header, 0, 100);
    // POSIX ustar splits long names into prefix/name; GNU tar ("ustar  ") uses that space for other fields.
    boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
        && header[261] == 'r' && header[262] == 0;
    if (posix) {
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  /** The size field: octal, or GNU base-256 for sizes of 8 GiB and more. */
  private long size() throws IOException {
    if ((header[124] & 0x80) != 0) {
      if ((header[124] & 0x40) != 0) {
        throw new IOException("tar entry has a negative size");
      }
      long value = header[124] & 0x3f;
      for (int i = 125; i < 136; i++) {
        if (value > (Long.MAX_VALUE >> 8)) {
          throw new IOException("tar entry size does not fit 63 bits");
        }
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    return octal(124, 12, "size");
  }

  private long octal(int offset, int length, String field) throws IOException {
    long value = 0;
    int end = offset + length;
    int i = offset;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    boolean digits = false;
    for (; i < end; i++) {
      byte b = header[i];
      if (b == 0 || b == ' ') {
        break;
      }
      if (b < '0' || b > '7') {
        throw new IOException("not a tar archive: bad " + field + " field");
      }
      value = (value << 3) + (b - '0');
      digits = true;
    }
    if (!digits && !field.equals("size")) {
      throw new IOException("not a tar archive: empty " + field + " field");
    }
    return value;
  }

  private byte[] readMeta(long size, char type) throws IOException {
    if (size > MAX_META_BYTES) {
      throw new IOException("tar " + (type == 'x' || type == 'g' ? "pax header" : "long name") + " of " + size + " bytes is too large");
    }
    byte[] meta = in.readNBytes((int) size);
    if (meta.length < size) {
      throw new EOFException("tar archive ends inside a header");
    }
    skip((BLOCK - size % BLOCK) % BLOCK);
    return meta;
  }

  /** pax records: {@code "<length> <key>=<value>\n"}, length counting the whole record in bytes. */
  private static Map<String, String> pax(byte[] data) throws IOException {
    Map<String, String> records = new HashMap<>();
    int at = 0;
    while (at < data.length) {
      int space = at;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, at, space - at, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("tar pax header has a bad record length");
      }
      int end = at + length;
      if (length <= 0 || end > data.length || space >= end || data[end - 1] != '\n') {
        throw new IOException("tar pax header has a bad record");
      }
      String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      if (equals < 0) {
        throw new IOException("tar pax record without '='");
      }
      records.put(record.substring(0, equals), record.substring(equals + 1));
      at = end;
    }
    return records;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** Reads and drops bytes: skip() of a decompressing stream inflates in 512-byte steps, this in 64 KiB. */
  private void skip(long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      int read = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (read < 0) {
        throw new EOFException("tar archive ends inside an entry");
      }
      left -= read;
    }
  }
}
