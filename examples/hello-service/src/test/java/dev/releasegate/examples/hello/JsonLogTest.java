package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JsonLogTest {

    private final LogCapture capture = new LogCapture(Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC));

    @Test
    void writesOneObjectPerLineWithTimestampLevelMessageAndFieldsInOrder() {
        capture.log.info("started", "port", 8080, "version", "1.0.0", "ready", false);

        assertEquals("{\"ts\":\"2024-05-06T07:08:09.000Z\",\"level\":\"INFO\",\"msg\":\"started\","
                + "\"port\":8080,\"version\":\"1.0.0\",\"ready\":false}\n", capture.text());
        Map<String, Object> entry = capture.entries().get(0);
        assertEquals(List.of("ts", "level", "msg", "port", "version", "ready"), List.copyOf(entry.keySet()));
    }

    @Test
    void keepsMultiLineMessagesOnOneLine() {
        capture.log.warn("first\nsecond\r\nthird \"quoted\"", "path", "/a\nb");

        assertEquals(1, capture.text().lines().count());
        Map<String, Object> entry = capture.entries().get(0);
        assertEquals("WARN", entry.get("level"));
        assertEquals("first\nsecond\r\nthird \"quoted\"", entry.get("msg"));
        assertEquals("/a\nb", entry.get("path"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void serializesExceptionsAsJsonNotPlainText() {
        IOException failure = new IOException("disk on fire", new IllegalStateException("root cause"));

        capture.log.error("request failed", failure, "path", "/");

        assertEquals(1, capture.text().lines().count());
        Map<String, Object> entry = capture.entries().get(0);
        assertEquals("ERROR", entry.get("level"));
        Map<String, Object> error = (Map<String, Object>) entry.get("error");
        assertEquals("java.io.IOException", error.get("type"));
        assertEquals("disk on fire", error.get("message"));
        assertFalse(((List<Object>) error.get("stack")).isEmpty());
        assertEquals("java.lang.IllegalStateException", ((Map<String, Object>) error.get("cause")).get("type"));
    }

    @Test
    void fieldsCannotOverwriteTheStandardKeys() {
        capture.log.info("real", "msg", "forged", "level", "ERROR");

        Map<String, Object> entry = capture.entries().get(0);
        assertEquals("real", entry.get("msg"));
        assertEquals("INFO", entry.get("level"));
    }

    @Test
    void rejectsUnpairedFields() {
        assertThrows(IllegalArgumentException.class, () -> capture.log.info("oops", "lonely"));
    }

    @Test
    void concurrentWritersNeverInterleaveLines() throws InterruptedException {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int writer = 0; writer < 4; writer++) {
            int id = writer;
            writers.submit(() -> {
                for (int i = 0; i < 250; i++) {
                    capture.log.info("line", "writer", id, "i", i, "padding", "x".repeat(100));
                }
            });
        }
        writers.shutdown();
        assertTrue(writers.awaitTermination(10, TimeUnit.SECONDS));

        assertEquals(1000, capture.entries().size());
    }
}
