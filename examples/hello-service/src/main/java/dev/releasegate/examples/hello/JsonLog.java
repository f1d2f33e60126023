package dev.releasegate.examples.hello;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured log: one JSON object per line with {@code ts}, {@code level}, {@code msg} and any extra
 * fields. Log collectors parse it without guessing, and a multi-line message or stack trace cannot
 * split an entry, because the JSON writer escapes newlines.
 */
public final class JsonLog {

    /** Fixed width with milliseconds, so lines sort and align the same whatever the instant. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public enum Level { INFO, WARN, ERROR }

    private final OutputStream out;
    private final Clock clock;

    public JsonLog(OutputStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** @param keyValues alternating field names and values, kept in the order given */
    public void info(String msg, Object... keyValues) {
        write(Level.INFO, msg, null, keyValues);
    }

    public void warn(String msg, Object... keyValues) {
        write(Level.WARN, msg, null, keyValues);
    }

    /** @param error serialized into an {@code error} field as type, message, stack and cause */
    public void error(String msg, Throwable error, Object... keyValues) {
        write(Level.ERROR, msg, error, keyValues);
    }

    public void write(Level level, String msg, Throwable error, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keyValues must come in pairs, got " + keyValues.length + " items");
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ts", TIMESTAMP.format(clock.instant()));
        entry.put("level", level.name());
        entry.put("msg", msg);
        for (int i = 0; i < keyValues.length; i += 2) {
            entry.putIfAbsent(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        if (error != null) {
            entry.putIfAbsent("error", error);
        }
        byte[] json = Json.object(entry);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        // One write per line under a lock: concurrent request threads never interleave partial lines.
        synchronized (this) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                // Nowhere left to report a broken log stream; dropping the line beats crashing a request.
            }
        }
    }
}
