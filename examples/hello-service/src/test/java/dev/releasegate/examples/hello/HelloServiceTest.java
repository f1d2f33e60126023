package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloServiceTest {

    private final LogCapture out = new LogCapture();
    private final LogCapture err = new LogCapture();

    @Test
    void invalidConfigurationExitsWith2AndOneJsonLineOnStderr() {
        HelloService.StartupFailure failure = assertThrows(HelloService.StartupFailure.class,
                () -> HelloService.launch(Map.of("PORT", "eighty", "GREETING", ""), out.log, err.log));

        assertEquals(2, failure.exitCode);
        assertEquals("", out.text(), "nothing starts, so nothing is logged on stdout");
        List<Map<String, Object>> lines = err.entries();
        assertEquals(1, lines.size());
        assertEquals("ERROR", lines.get(0).get("level"));
        assertEquals("invalid configuration: PORT must be an integer from 1 to 65535, got \"eighty\"; "
                + "GREETING must not be empty", lines.get(0).get("msg"));
        assertEquals(List.of("PORT must be an integer from 1 to 65535, got \"eighty\"", "GREETING must not be empty"),
                lines.get(0).get("problems"));
    }

    @Test
    void portInUseExitsWith1AndLogsTheCause() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            HelloService.StartupFailure failure = assertThrows(HelloService.StartupFailure.class,
                    () -> HelloService.launch(Map.of("PORT", String.valueOf(taken.getLocalPort())), out.log, err.log));

            assertEquals(1, failure.exitCode);
            Map<String, Object> line = out.entries().get(0);
            assertEquals("ERROR", line.get("level"));
            assertTrue(line.containsKey("error"), line.toString());
        }
    }

    @Test
    void launchWiresTheEnvironmentIntoTheServer() throws Exception {
        int port = freePort();
        HelloServer server = HelloService.launch(Map.of("PORT", String.valueOf(port), "GREETING", "howdy",
                "RELEASE_REVISION", "abc123", "RELEASE_VERSION", "2.0.0"), out.log, err.log);
        try {
            HttpProbe http = new HttpProbe(port);
            assertEquals(503, http.get("/readyz").status(), "not ready until main says so");
            server.markReady();

            assertEquals(200, http.get("/readyz").status());
            assertEquals(Map.of("greeting", "howdy", "service", "hello-service"), http.get("/").json());
            assertEquals(Map.of("revision", "abc123", "version", "2.0.0"), http.get("/version").json());
        } finally {
            server.stop();
        }
        assertEquals("", err.text());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
