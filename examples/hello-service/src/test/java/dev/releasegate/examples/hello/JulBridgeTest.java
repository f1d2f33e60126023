package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JulBridgeTest {

    private final LogCapture capture = new LogCapture();

    @AfterEach
    void restoreDefaultLogging() throws IOException {
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void jdkLoggingBecomesJsonLines() {
        JulBridge.install(capture.log);
        Logger jdkLogger = Logger.getLogger("sun.net.httpserver.test");

        jdkLogger.warning("connection reset");
        jdkLogger.fine("below the threshold");
        jdkLogger.log(java.util.logging.Level.SEVERE, "broken: {0}", "socket");

        List<Map<String, Object>> entries = capture.entries();
        assertEquals(2, entries.size(), capture.text());
        assertEquals("WARN", entries.get(0).get("level"));
        assertEquals("connection reset", entries.get(0).get("msg"));
        assertEquals("sun.net.httpserver.test", entries.get(0).get("logger"));
        assertEquals("ERROR", entries.get(1).get("level"));
        assertEquals("broken: socket", entries.get(1).get("msg"));
    }
}
