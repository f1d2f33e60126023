package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.process.Subprocess;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * One output stream of the container (stdout or stderr), written line by line, redacted, to a file in
 * the bundle, while counting the lines that are not one JSON object each (what log collectors expect).
 */
final class LogStream implements AutoCloseable {
  private final String name;
  private final BufferedWriter writer;
  private final UnaryOperator<String> redact;
  private int lines;
  private int nonJson;
  private int firstNonJson;

  LogStream(String name, Path file, UnaryOperator<String> redact) throws IOException {
    this.name = name;
    this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.redact = redact;
  }

  /** Where the runtime writes this stream; {@link Subprocess} closes it, which flushes a last unterminated line. */
  OutputStream sink() {
    return Subprocess.lineStream(this::accept);
  }

  void accept(String line) {
    if (line.isBlank()) {
      return;
    }
    lines++;
    if (!isJsonObject(line)) {
      nonJson++;
      if (firstNonJson == 0) {
        firstNonJson = lines;
      }
    }
    try {
      writer.write(redact.apply(line));
      writer.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isJsonObject(String line) {
    try {
      JsonNode node = Json.parse(line.getBytes(StandardCharsets.UTF_8));
      return node.isObject();
    } catch (IOException e) {
      return false;
    }
  }

  String name() {
    return name;
  }

  int lines() {
    return lines;
  }

  int nonJson() {
    return nonJson;
  }

  /** 1-based number of the first line that is not JSON; 0 when every line is. */
  int firstNonJson() {
    return firstNonJson;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
