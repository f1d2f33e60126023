package dev.releasegate.examples.hello;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes java.util.logging, which the JDK's HTTP server logs through, into {@link JsonLog}. Without
 * it the JDK's console handler would print plain-text lines to stderr.
 */
final class JulBridge extends Handler {

    private final JsonLog log;
    private final SimpleFormatter formatter = new SimpleFormatter();

    private JulBridge(JsonLog log) {
        this.log = log;
    }

    static void install(JsonLog log) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new JulBridge(log));
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        JsonLog.Level level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? JsonLog.Level.ERROR
                : record.getLevel().intValue() >= Level.WARNING.intValue() ? JsonLog.Level.WARN
                : JsonLog.Level.INFO;
        log.write(level, formatter.formatMessage(record), record.getThrown(), "logger", record.getLoggerName());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
