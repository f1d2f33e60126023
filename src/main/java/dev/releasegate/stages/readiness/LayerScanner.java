package dev.releasegate.stages.readiness;

import dev.releasegate.image.FileSelector;
import dev.releasegate.image.LayerEntry;
import dev.releasegate.image.LayerSummary;
import dev.releasegate.stages.readiness.LayerReport.FileSecret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the lint looks at in one layer, as it streams by: every file is checked by name and its whole
 * content scanned for secrets in overlapping windows, and package managers, shells and
 * {@code /etc/passwd} are kept for the merged view of the image. One instance reads one layer.
 */
final class LayerScanner implements FileSelector<LayerScanner.Kept> {
  /**
   * Content is scanned this much at a time; credential files up to this size are read as a whole.
   * Key and credential files are far smaller.
   */
  static final int WINDOW_BYTES = 1 << 20;
  /** Each window begins with the end of the one before, so a key or token across their border is seen whole. */
  static final int OVERLAP_BYTES = 64 << 10;

  /** Where images keep executables; a package manager or shell anywhere here makes the image a toolbox. */
  static final List<String> BIN_DIRECTORIES = List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin");
  static final List<String> TOOL_NAMES =
      List.of("apt", "apt-get", "dpkg", "yum", "dnf", "microdnf", "rpm", "apk", "bash", "sh", "dash", "ash", "zsh", "busybox");
  static final Set<String> TOOLS = tools();

  /** Larger than any real /etc/passwd; a bigger one is not read to resolve a user. */
  static final int MAX_PASSWD_BYTES = 1 << 20;

  /** What the lint keeps of a file for the merged view: that a tool is at its path, or /etc/passwd. */
  sealed interface Kept permits Tool, Passwd, UnusablePasswd {}

  enum Tool implements Kept {
    PRESENT
  }

  record Passwd(String text) implements Kept {}

  /** An /etc/passwd that cannot be trusted to resolve a user name: a link, or too large. */
  record UnusablePasswd(String why) implements Kept {}

  private final int index;
  private final List<FileSecret> secrets = new ArrayList<>();
  /** One byte over a window, so that a file of exactly one window is read whole. */
  private final byte[] window = new byte[WINDOW_BYTES + 1];
  private int scanned;

  /** @param index the layer's number, 1 for the bottom layer */
  LayerScanner(int index) {
    this.index = index;
  }

  @Override
  public Kept select(LayerEntry entry, InputStream content) throws IOException {
    String path = entry.path();
    Kept tool = TOOLS.contains(path) ? Tool.PRESENT : null;
    if (path.equals("/etc/passwd") && entry.type() != LayerEntry.Type.FILE) {
      return new UnusablePasswd("a " + entry.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }
    if (entry.type() != LayerEntry.Type.FILE) {
      return tool; // a hard link: a tool under its own name, whatever it links to
    }
    if (SecretRules.sshKeyName(entry.name()) && entry.size() > 0) {
      secrets.add(new FileSecret(index, path, "SSH private key file"));
    }
    scanned++;
    Kept kept = tool;
    boolean oversizedPasswd = path.equals("/etc/passwd") && entry.size() > MAX_PASSWD_BYTES;
    if (oversizedPasswd) {
      // Refused as the resolver of user names, but its content is scanned like any other file's.
      kept = new UnusablePasswd(entry.size() + " bytes, more than " + MAX_PASSWD_BYTES);
    }
    Set<String> kinds = new LinkedHashSet<>();
    int filled = 0;
    boolean credentialFile = false;
    while (true) {
      int length = filled + content.readNBytes(window, filled, window.length - filled);
      String text = new String(window, 0, length, StandardCharsets.ISO_8859_1);
      boolean whole = length < window.length;
      if (filled == 0 && whole) {
        if (path.equals("/etc/passwd") && !oversizedPasswd) {
          kept = new Passwd(new String(window, 0, length, StandardCharsets.UTF_8));
        }
        if (SecretRules.credentialFile(path)) {
          credentialFile = true;
          kinds.addAll(SecretRules.inCredentialFile(path, new String(window, 0, length, StandardCharsets.UTF_8)));
        }
      }
      kinds.addAll(SecretRules.inContent(text, !credentialFile));
      if (whole) {
        break;
      }
      System.arraycopy(window, length - OVERLAP_BYTES, window, 0, OVERLAP_BYTES);
      filled = OVERLAP_BYTES;
    }
    kinds.forEach(kind -> secrets.add(new FileSecret(index, path, kind)));
    return kept;
  }

  /** What this scanner found in its layer, with what reading the layer measured. */
  LayerReport report(String digest, LayerSummary summary) {
    return new LayerReport(index, digest, summary.size(), summary.uncompressedSize(), summary.fileSize(), summary.entries(), scanned, secrets);
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
}
