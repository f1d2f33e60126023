package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real main in its own JVM: only a separate process shows exit codes, signals and raw output. */
class HelloServiceProcessTest {

    @TempDir
    Path tmp;

    @Test
    void servesThenDrainsOnSigtermWithJsonLogsOnly() throws Exception {
        int port = freePort();
        Path stdout = tmp.resolve("stdout");
        Path stderr = tmp.resolve("stderr");
        ProcessBuilder builder = javaProcess();
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("RELEASE_VERSION", "1.0.0");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            awaitLogLine(stdout, "ready", process);
            HttpProbe http = new HttpProbe(port);
            assertEquals(200, http.get("/healthz").status());
            assertEquals("1.0.0", http.get("/version").json().get("version"));

            long signalledNanos = System.nanoTime();
            process.destroy(); // SIGTERM on Unix
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "did not exit within 10 s of SIGTERM");
            assertTrue(System.nanoTime() - signalledNanos < TimeUnit.SECONDS.toNanos(3), "idle shutdown should be quick");
            assertTrue(List.of(0, 143).contains(process.exitValue()), "exit code " + process.exitValue());
        } finally {
            process.destroyForcibly();
        }

        List<Map<String, Object>> lines = LogCapture.parseLines(Files.readString(stdout, StandardCharsets.UTF_8));
        List<String> messages = lines.stream().map(line -> (String) line.get("msg")).toList();
        assertEquals(List.of("started", "ready", "request", "draining", "stopped"), messages);
        assertEquals("", Files.readString(stderr, StandardCharsets.UTF_8));
    }

    @Test
    void badConfigurationExitsWith2AndOneJsonLineOnStderr() throws Exception {
        Path stdout = tmp.resolve("stdout");
        Path stderr = tmp.resolve("stderr");
        ProcessBuilder builder = javaProcess();
        builder.environment().put("SHUTDOWN_GRACE_SECONDS", "60");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();

        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertEquals("", Files.readString(stdout, StandardCharsets.UTF_8));
        List<Map<String, Object>> lines = LogCapture.parseLines(Files.readString(stderr, StandardCharsets.UTF_8));
        assertEquals(1, lines.size());
        assertEquals("invalid configuration: SHUTDOWN_GRACE_SECONDS must be an integer from 0 to 30, got 60",
                lines.get(0).get("msg"));
    }

    /** The test JVM's own class path holds the service classes and jackson-core. */
    private static ProcessBuilder javaProcess() {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HelloService.class.getName());
        for (String inherited : List.of("PORT", "SHUTDOWN_GRACE_SECONDS", "GREETING", "RELEASE_REVISION", "RELEASE_VERSION")) {
            builder.environment().remove(inherited);
        }
        return builder;
    }

    private static void awaitLogLine(Path stdout, String msg, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(stdout, StandardCharsets.UTF_8);
            // Only complete lines: the last one may still be being written.
            String complete = text.substring(0, text.lastIndexOf('\n') + 1);
            if (LogCapture.parseLines(complete).stream().anyMatch(line -> msg.equals(line.get("msg")))) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + " before logging " + msg);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no \"" + msg + "\" log line within 15 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
