package dev.releasegate.cosign;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The PEM blocks of a text, in order, as Go's {@code pem.Decode} finds them one after the other: the
 * form of cosign's certificate and chain annotations and of the public key inside a Rekor entry.
 */
final class PemBlocks {
  /** One block: the text between BEGIN and the dashes, and the decoded body. */
  record Block(String type, byte[] der) {}

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  private PemBlocks() {}

  /** Every block; throws IllegalArgumentException naming what is malformed. */
  static List<Block> decode(String text) {
    List<Block> blocks = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = text.indexOf(BEGIN, from);
      if (begin < 0) {
        return blocks;
      }
      int typeStart = begin + BEGIN.length();
      int lineEnd = text.indexOf('\n', typeStart);
      if (lineEnd < 0) {
        throw new IllegalArgumentException("PEM BEGIN line without end of line");
      }
      String beginLine = text.substring(typeStart, lineEnd).strip();
      if (!beginLine.endsWith(DASHES) || beginLine.length() == DASHES.length()) {
        throw new IllegalArgumentException("malformed PEM BEGIN line");
      }
      String type = beginLine.substring(0, beginLine.length() - DASHES.length());
      String endMarker = END + type + DASHES;
      int end = text.indexOf(endMarker, lineEnd);
      if (end < 0) {
        throw new IllegalArgumentException("PEM block " + type + " has no END line");
      }
      String body = text.substring(lineEnd + 1, end).replaceAll("\\s", "");
      try {
        blocks.add(new Block(type, Base64.getDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("PEM block " + type + " is not valid base64");
      }
      from = end + endMarker.length();
    }
  }

  static List<Block> decode(byte[] text) {
    return decode(new String(text, StandardCharsets.UTF_8));
  }

  /** Like Go's {@code pem.EncodeToMemory}: 64-character lines, newline after the END line. */
  static String encode(String type, byte[] der) {
    String base64 = Base64.getEncoder().encodeToString(der);
    StringBuilder out = new StringBuilder();
    out.append(BEGIN).append(type).append(DASHES).append('\n');
    for (int i = 0; i < base64.length(); i += 64) {
      out.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
    }
    return out.append(END).append(type).append(DASHES).append('\n').toString();
  }
}
