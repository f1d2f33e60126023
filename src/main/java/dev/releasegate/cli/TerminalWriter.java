package dev.releasegate.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Output for people. Names, messages and lines that come from a bundle, an image, a pipeline file or
 * a command's output are shown with their control characters escaped ({@code \x1b}), so that none of
 * them can move the cursor, rewrite what was printed or hide text on the screen. Only releasegate's own
 * status-line controls pass unescaped, through {@link #control}.
 */
final class TerminalWriter extends PrintWriter {
  private final Writer raw;

  private TerminalWriter(Writer raw) {
    super(new Escaping(raw), true);
    this.raw = raw;
  }

  static TerminalWriter of(OutputStream stream) {
    return new TerminalWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
  }

  /** Writes a control sequence of releasegate's own, unescaped, where {@code out} is a terminal writer. */
  static void control(PrintWriter out, String sequence) {
    if (out instanceof TerminalWriter terminal) {
      terminal.flush();
      synchronized (terminal.lock) {
        try {
          terminal.raw.write(sequence);
          terminal.raw.flush();
        } catch (IOException e) {
          terminal.setError();
        }
      }
    } else {
      out.print(sequence);
    }
  }

  /** {@code text} with every control character but newline and tab, and every bidirectional override, escaped. */
  static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        out.append(replacement != null ? replacement : String.valueOf(c));
      }
    }
    return out == null ? text : out.toString();
  }

  private static String replacement(char c) {
    if (c == '\n' || c == '\t') {
      return null;
    }
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
      return String.format("\\x%02x", (int) c);
    }
    // Bidirectional embeddings, overrides and isolates reorder what follows them on screen.
    if ((c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }

  private static final class Escaping extends FilterWriter {
    Escaping(Writer out) {
      super(out);
    }

    @Override
    public void write(int c) throws IOException {
      out.write(escape(String.valueOf((char) c)));
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
      out.write(escape(new String(buffer, offset, length)));
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      out.write(escape(text.substring(offset, offset + length)));
    }
  }
}
