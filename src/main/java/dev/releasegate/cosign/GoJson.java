package dev.releasegate.cosign;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes JSON byte for byte as Go's {@code encoding/json} {@code Marshal} does, because cosign signs and
 * digests exactly those bytes: a payload or manifest that differs in one escape has another digest.
 *
 * <p>What Go does and Jackson does not: map keys sorted by their UTF-8 bytes; {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 written as six-character unicode escapes (backslash, u, four lowercase hex
 * digits); control characters in the short forms b f n r t or as such an escape; unpaired surrogates
 * replaced by U+FFFD. No whitespace anywhere.
 *
 * <p>Values: {@code null}, {@link String}, {@link Long}/{@link Integer}, {@link Boolean}, {@link Map}
 * with string keys (written sorted, as Go writes maps), {@link List}, and {@link Ordered} for Go
 * structs, whose fields keep their declaration order.
 */
final class GoJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /** Go sorts map keys with {@code sort.Strings}, which compares UTF-8 bytes, not UTF-16 units. */
  static final Comparator<String> GO_KEY_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  /** A Go struct: fields in declaration order, as given. */
  record Ordered(List<Map.Entry<String, Object>> fields) {
    Ordered {
      fields = List.copyOf(fields);
    }

    @SafeVarargs
    static Ordered of(Map.Entry<String, Object>... fields) {
      return new Ordered(List.of(fields));
    }
  }

  private GoJson() {}

  static byte[] marshal(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A map sorted the way Go writes it. */
  static <V> TreeMap<String, V> sorted(Map<String, V> map) {
    TreeMap<String, V> sorted = new TreeMap<>(GO_KEY_ORDER);
    sorted.putAll(map);
    return sorted;
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Long || value instanceof Integer) {
      out.append(value);
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Ordered struct) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> field : struct.fields()) {
        first = comma(out, first);
        string(out, field.getKey());
        out.append(':');
        write(out, field.getValue());
      }
      out.append('}');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      TreeMap<String, Object> sorted = new TreeMap<>(GO_KEY_ORDER);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        sorted.put((String) entry.getKey(), entry.getValue());
      }
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        first = comma(out, first);
        string(out, entry.getKey());
        out.append(':');
        write(out, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      boolean first = true;
      for (Object element : list) {
        first = comma(out, first);
        write(out, element);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("no Go JSON form for " + value.getClass().getName());
    }
  }

  private static boolean comma(StringBuilder out, boolean first) {
    if (!first) {
      out.append(',');
    }
    return false;
  }

  /** Go's {@code encodeState.string} with HTML escaping on (the {@code json.Marshal} default). */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        // Go 1.22 and later write \b and \f in short form.
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> unicode(out, c);
        default -> {
          if (c < 0x20) {
            unicode(out, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            // Go strings are bytes; invalid UTF-8 (what an unpaired surrogate becomes) is written as U+FFFD.
            unicode(out, '\ufffd');
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicode(StringBuilder out, char c) {
    out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
  }
}
