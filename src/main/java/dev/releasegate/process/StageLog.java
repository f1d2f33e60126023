package dev.releasegate.process;

import dev.releasegate.spi.StageContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A subprocess's output, line by line and with secrets redacted, to the display and to a log file
 * among the stage's artifacts. Safe to feed from the stdout and stderr pump threads at once: each line
 * is written whole.
 */
public final class StageLog implements AutoCloseable {
  private final BufferedWriter writer;
  private final StageContext context;

  private StageLog(BufferedWriter writer, StageContext context) {
    this.writer = writer;
    this.context = context;
  }

  public static StageLog open(StageContext context, Path file) throws IOException {
    return new StageLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8), context);
  }

  /** Shows and keeps one line; returns it as redacted. */
  public synchronized String line(String line) {
    String redacted = context.redact(line);
    context.log(redacted);
    try {
      writer.write(redacted);
      writer.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return redacted;
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
