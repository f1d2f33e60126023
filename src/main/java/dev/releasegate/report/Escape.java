package dev.releasegate.report;

/** Escaping for the places bundle text ends up in: XML, HTML, a terminal. */
final class Escape {
  private Escape() {}

  /**
   * {@code text} with every character that XML 1.0 cannot carry (control characters, lone surrogates,
   * U+FFFE/U+FFFF) replaced by U+FFFD. Escaping handles {@code < & " >}; these cannot be escaped at all.
   */
  static String xmlChars(String text) {
    StringBuilder safe = null;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      boolean allowed = codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD
          || (codePoint >= 0x20 && codePoint <= 0xD7FF)
          || (codePoint >= 0xE000 && codePoint <= 0xFFFD)
          || (codePoint >= 0x10000 && codePoint <= 0x10FFFF);
      if (!allowed && safe == null) {
        safe = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (safe != null) {
        if (allowed) {
          safe.appendCodePoint(codePoint);
        } else {
          safe.append('\uFFFD');
        }
      }
      i += Character.charCount(codePoint);
    }
    return safe == null ? text : safe.toString();
  }

  /** Text for HTML element content and quoted attribute values. */
  static String html(String text) {
    String clean = xmlChars(text);
    StringBuilder escaped = new StringBuilder(clean.length() + 16);
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * Text for a terminal: control characters other than newline and tab shown as {@code ?}, so that a
   * bundle cannot move the cursor, recolour or retitle the terminal of whoever reads its report.
   */
  static String terminal(String text) {
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints().forEach(codePoint -> {
      boolean control = (codePoint < 0x20 && codePoint != '\n' && codePoint != '\t') || (codePoint >= 0x7F && codePoint < 0xA0)
          || codePoint == 0x2028 || codePoint == 0x2029 || (codePoint >= 0x202A && codePoint <= 0x202E)
          || (codePoint >= 0x2066 && codePoint <= 0x2069);
      if (control) {
        safe.append('?');
      } else {
        safe.appendCodePoint(codePoint);
      }
    });
    return safe.toString();
  }
}
