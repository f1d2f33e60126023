package dev.releasegate.sign;

import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/**
 * The PEM subset that cosign, Go's {@code encoding/pem} and openssl write: one block, no headers,
 * base64 body. Like Go, text before the first block and after its end line is ignored, so that a key
 * file with a comment above it still loads.
 */
final class Pem {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";
  private static final int LINE = 64;
  /** Key files are a few hundred bytes; the cap keeps a wrong path (an image, a log) from being slurped. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  /** One decoded block: its type (the text between BEGIN and the dashes) and its DER body. */
  record Block(String type, byte[] der) {
    Block {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(der, "der");
    }
  }

  private Pem() {}

  /** Decodes the first PEM block in {@code text}; {@code source} names the input in error messages. */
  static Block decode(String text, String source) {
    int begin = text.indexOf(BEGIN);
    if (begin < 0 || (begin > 0 && text.charAt(begin - 1) != '\n')) {
      throw new InvalidInputException(source + ": not a PEM file (no -----BEGIN line)");
    }
    int typeStart = begin + BEGIN.length();
    int lineEnd = lineEnd(text, typeStart);
    String beginLine = text.substring(typeStart, lineEnd).strip();
    if (!beginLine.endsWith(DASHES) || beginLine.length() == DASHES.length()) {
      throw new InvalidInputException(source + ": malformed PEM BEGIN line");
    }
    String type = beginLine.substring(0, beginLine.length() - DASHES.length());
    String endMarker = END + type + DASHES;
    int end = text.indexOf(endMarker, lineEnd);
    if (end < 0) {
      throw new InvalidInputException(source + ": PEM block " + type + " has no END line");
    }
    String body = text.substring(lineEnd, end);
    StringBuilder base64 = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
        base64.append(c);
      }
    }
    try {
      return new Block(type, Base64.getDecoder().decode(base64.toString()));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(source + ": PEM body is not valid base64");
    }
  }

  /** Encodes like Go's {@code pem.EncodeToMemory}: 64-character lines, newline after the END line. */
  static String encode(String type, byte[] der) {
    String base64 = Base64.getEncoder().encodeToString(der);
    StringBuilder out = new StringBuilder(base64.length() + 2 * type.length() + 64);
    out.append(BEGIN).append(type).append(DASHES).append('\n');
    for (int i = 0; i < base64.length(); i += LINE) {
      out.append(base64, i, Math.min(base64.length(), i + LINE)).append('\n');
    }
    out.append(END).append(type).append(DASHES).append('\n');
    return out.toString();
  }

  /** Reads a small PEM file; failures name the file as the caller gave it. */
  static String readText(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read: " + describe(e));
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new InvalidInputException(file + ": too large for a key file (over " + MAX_FILE_BYTES + " bytes)");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A short reason for an I/O failure; the JDK's own messages for these two are just the path. */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static int lineEnd(String text, int from) {
    int nl = text.indexOf('\n', from);
    return nl < 0 ? text.length() : nl;
  }
}
