package dev.releasegate.stages.readiness;

import dev.releasegate.api.EnvironmentException;
import dev.releasegate.stages.readiness.LayerReport.FileSecret;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads one layer blob as a stream (never whole in memory): gzip or plain tar, entry by entry. Text
 * files up to {@link #MAX_SCANNED_FILE_BYTES} are scanned for secrets; every file is checked by name.
 */
final class LayerScanner {
  /** Files up to this size are read and scanned; key and credential files are far smaller. */
  static final int MAX_SCANNED_FILE_BYTES = 1 << 20;

  /** Where images keep executables; a package manager or shell anywhere here makes the image a toolbox. */
  static final List<String> BIN_DIRECTORIES = List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin");
  static final List<String> TOOL_NAMES =
      List.of("apt", "apt-get", "dpkg", "yum", "dnf", "microdnf", "rpm", "apk", "bash", "sh", "dash", "ash", "zsh", "busybox");
  private static final Set<String> TOOLS = tools();

  private final byte[] buffer = new byte[MAX_SCANNED_FILE_BYTES];

  /**
   * Scans a layer.
   *
   * @param size the layer's size in the manifest; the blob must have exactly this many bytes
   * @throws EnvironmentException when the blob is not a layer this lint can read (zstd, not a tar, truncated)
   */
  LayerReport scan(int index, String digest, long size, InputStream blob) {
    try {
      Counting raw = new Counting(blob);
      BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
      buffered.mark(4);
      byte[] magic = buffered.readNBytes(4);
      buffered.reset();
      InputStream tarBytes;
      if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        tarBytes = new GZIPInputStream(buffered, 1 << 16);
      } else if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
          && (magic[3] & 0xff) == 0xfd) {
        throw new EnvironmentException("layer " + index + " (" + digest + ") is zstd-compressed; the readiness lint reads gzip and plain tar layers");
      } else {
        tarBytes = buffered;
      }
      Counting uncompressed = new Counting(tarBytes);
      Contents contents = read(index, new TarReader(uncompressed));
      // Read to the very end: the gzip trailer's CRC is checked only there, and the sizes count every byte.
      uncompressed.transferTo(OutputStream.nullOutputStream());
      raw.transferTo(OutputStream.nullOutputStream());
      if (raw.count() != size) {
        throw new EnvironmentException("layer " + index + " (" + digest + ") has " + raw.count() + " bytes, the manifest says " + size);
      }
      return new LayerReport(index, digest, size, uncompressed.count(), contents.entries(), contents.scanned(),
          contents.unscanned(), contents.secrets(), contents.tools(), contents.whiteouts(), contents.opaque(), contents.passwd());
    } catch (IOException e) {
      throw new EnvironmentException("cannot read layer " + index + " (" + digest + "): " + e.getMessage(), e);
    }
  }

  /** What the tar entries of one layer hold. */
  private record Contents(int entries, int scanned, int unscanned, List<FileSecret> secrets, Set<String> tools,
      Set<String> whiteouts, Set<String> opaque, Optional<String> passwd) {}

  private Contents read(int index, TarReader tar) throws IOException {
    int entries = 0;
    int scanned = 0;
    int unscanned = 0;
    List<FileSecret> secrets = new ArrayList<>();
    Set<String> tools = new LinkedHashSet<>();
    Set<String> whiteouts = new LinkedHashSet<>();
    Set<String> opaque = new LinkedHashSet<>();
    Optional<String> passwd = Optional.empty();
    for (TarReader.Entry entry = tar.next(); entry != null; entry = tar.next()) {
      entries++;
      String name = entry.name();
      if (name.startsWith(".wh.")) {
        if (name.equals(".wh..wh..opq")) {
          opaque.add(entry.parent());
        } else {
          whiteouts.add(TarReader.normalize(entry.parent() + "/" + name.substring(".wh.".length())));
        }
        continue;
      }
      if ((entry.isFile() || entry.isLink()) && TOOLS.contains(entry.path())) {
        tools.add(entry.path());
      }
      if (!entry.isFile()) {
        continue;
      }
      if (SecretRules.sshKeyName(name) && entry.size() > 0) {
        secrets.add(new FileSecret(index, entry.path(), "SSH private key file"));
      }
      if (entry.size() > MAX_SCANNED_FILE_BYTES) {
        unscanned++;
        continue;
      }
      int length = tar.content().readNBytes(buffer, 0, (int) entry.size());
      if (length != entry.size()) {
        throw new IOException("tar archive ends inside " + entry.path());
      }
      if (entry.path().equals("/etc/passwd")) {
        passwd = Optional.of(new String(buffer, 0, length, StandardCharsets.UTF_8));
      }
      if (binary(length)) {
        // Libraries carry PEM headers as string constants; only text files can be key files.
        continue;
      }
      scanned++;
      if (SecretRules.credentialFile(entry.path()) || SecretRules.mayHoldPemKey(buffer, length)) {
        String text = new String(buffer, 0, length, StandardCharsets.UTF_8);
        for (String kind : SecretRules.inTextFile(entry.path(), text)) {
          secrets.add(new FileSecret(index, entry.path(), kind));
        }
      }
    }
    return new Contents(entries, scanned, unscanned, secrets, tools, whiteouts, opaque, passwd);
  }

  private boolean binary(int length) {
    for (int i = 0; i < length; i++) {
      if (buffer[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> tools() {
    Set<String> paths = new LinkedHashSet<>();
    for (String directory : BIN_DIRECTORIES) {
      for (String name : TOOL_NAMES) {
        paths.add(directory + "/" + name);
      }
    }
    return Set.copyOf(paths);
  }

  /** Counts the bytes read through it. */
  private static final class Counting extends FilterInputStream {
    private long count;

    Counting(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int read = super.read(b, off, len);
      if (read > 0) {
        count += read;
      }
      return read;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += Math.max(0, skipped);
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
