package dev.releasegate.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HelloServerTest {

    private static final Config CONFIG = new Config(0, 2, "hi there");
    private static final ReleaseInfo RELEASE = new ReleaseInfo("3f2c1ab", "1.0.0");

    /** Holds the /slow test route until released, standing in for a slow downstream call. */
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final LogCapture capture = new LogCapture();
    private final List<HelloServer> started = new ArrayList<>();

    @AfterEach
    void stopServers() {
        releaseSlow.countDown();
        started.forEach(HelloServer::stop);
    }

    private HelloServer start(Config config, ReleaseInfo release) throws IOException {
        Map<String, Router.Route> testRoutes = Map.of(
                "/slow", new Router.Route(true, () -> {
                    slowEntered.countDown();
                    awaitQuietly(releaseSlow);
                    return JsonResponse.of(200, "slow", "done");
                }),
                "/boom", new Router.Route(true, () -> {
                    throw new IllegalStateException("kaboom");
                }));
        HelloServer server = HelloServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                config, release, capture.log, testRoutes);
        started.add(server);
        return server;
    }

    private HttpProbe startReady() throws IOException {
        HelloServer server = start(CONFIG, RELEASE);
        server.markReady();
        return new HttpProbe(server.port());
    }

    @Test
    void rootGreets() throws IOException {
        HttpProbe http = startReady();

        HttpProbe.Answer answer = http.get("/");

        assertEquals(200, answer.status());
        assertEquals(Map.of("greeting", "hi there", "service", "hello-service"), answer.json());
        assertEquals("application/json", answer.raw().headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void healthzIsOkAndLogsNothing() throws IOException {
        HttpProbe http = startReady();
        int linesBefore = capture.entries().size();

        HttpProbe.Answer answer = http.get("/healthz");

        assertEquals(200, answer.status());
        assertEquals(Map.of("status", "ok"), answer.json());
        assertEquals(linesBefore, capture.entries().size(), capture.text());
    }

    @Test
    void readyzFollowsTheLifeCycle() throws IOException {
        HelloServer server = start(CONFIG, RELEASE);
        HttpProbe http = new HttpProbe(server.port());

        HttpProbe.Answer starting = http.get("/readyz");
        assertEquals(503, starting.status());
        assertEquals(Map.of("status", "starting"), starting.json());

        server.markReady();
        assertEquals(200, http.get("/readyz").status());
        assertEquals(Map.of("status", "ready"), http.get("/readyz").json());

        server.drain();
        HttpProbe.Answer draining = http.get("/readyz");
        assertEquals(503, draining.status());
        assertEquals(Map.of("status", "draining"), draining.json());
        assertEquals(200, http.get("/healthz").status(), "a draining process is still alive");

        server.markReady();
        assertEquals(503, http.get("/readyz").status(), "draining is never undone");
        assertEquals(List.of("started", "ready", "draining"), capture.messages());
    }

    @Test
    void versionReportsTheInjectedRelease() throws IOException {
        HttpProbe http = startReady();

        HttpProbe.Answer answer = http.get("/version");

        assertEquals(200, answer.status());
        assertEquals("{\"revision\":\"3f2c1ab\",\"version\":\"1.0.0\"}", answer.raw().body());
    }

    @Test
    void versionIsUnknownWhenTheEnvironmentHasNone() throws IOException {
        HelloServer server = start(CONFIG, ReleaseInfo.fromEnvironment(Map.of()));

        HttpProbe.Answer answer = new HttpProbe(server.port()).get("/version");

        assertEquals(Map.of("revision", "unknown", "version", "unknown"), answer.json());
    }

    @Test
    void unknownPathIs404Json() throws IOException {
        HttpProbe http = startReady();

        HttpProbe.Answer answer = http.get("/nope?x=1");

        assertEquals(404, answer.status());
        assertEquals("{\"error\":\"not found\",\"path\":\"/nope\"}", answer.raw().body());
    }

    @Test
    void pathsMatchExactlyNotByPrefix() throws IOException {
        HttpProbe http = startReady();

        assertEquals(404, http.get("/healthz/extra").status());
        assertEquals(404, http.get("/%68ealthz").status());
    }

    @Test
    void nonGetIs405WithAllowHeader() throws IOException {
        HttpProbe http = startReady();

        for (String method : List.of("POST", "PUT", "DELETE", "HEAD")) {
            HttpRequest request = http.request("/").method(method, HttpRequest.BodyPublishers.ofString("{}")).build();
            HttpResponse<String> response = sendRaw(request);
            assertEquals(405, response.statusCode(), method);
            assertEquals("GET", response.headers().firstValue("Allow").orElseThrow(), method);
            if (!method.equals("HEAD")) {
                assertEquals(Map.of("error", "method not allowed", "method", method),
                        LogCapture.parseObject(response.body()));
            }
        }
    }

    @Test
    void logsOneLinePerNonProbeRequest() throws IOException {
        HttpProbe http = startReady();

        http.get("/");
        http.get("/healthz");
        http.get("/readyz");
        http.get("/version");
        http.get("/missing");

        List<Map<String, Object>> requests = capture.entries().stream()
                .filter(entry -> entry.get("msg").equals("request")).toList();
        assertEquals(List.of("/", "/version", "/missing"), requests.stream().map(entry -> entry.get("path")).toList());
        Map<String, Object> first = requests.get(0);
        assertEquals("INFO", first.get("level"));
        assertEquals("GET", first.get("method"));
        assertEquals(200L, first.get("status"));
        assertTrue((Long) first.get("durationMs") >= 0);
        assertEquals(404L, requests.get(2).get("status"));
    }

    @Test
    void startupLogsPortAndRelease() throws IOException {
        HelloServer server = start(CONFIG, RELEASE);
        server.markReady();

        Map<String, Object> startedEntry = capture.entries().get(0);
        assertEquals("started", startedEntry.get("msg"));
        assertEquals((long) server.port(), startedEntry.get("port"));
        assertEquals("3f2c1ab", startedEntry.get("revision"));
        assertEquals("ready", capture.entries().get(1).get("msg"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void handlerFailureIs500JsonAndAnErrorLogLine() throws IOException {
        HttpProbe http = startReady();

        HttpProbe.Answer answer = http.get("/boom");

        assertEquals(500, answer.status());
        assertEquals(Map.of("error", "internal error"), answer.json());
        Map<String, Object> failure = capture.entries().stream()
                .filter(entry -> entry.get("level").equals("ERROR")).findFirst().orElseThrow();
        assertEquals("request failed", failure.get("msg"));
        assertEquals("kaboom", ((Map<String, Object>) failure.get("error")).get("message"));
    }

    @Test
    void slowRequestDoesNotBlockProbes() throws Exception {
        HttpProbe http = startReady();
        CompletableFuture<HttpProbe.Answer> slow = http.getAsync("/slow");
        assertTrue(slowEntered.await(5, TimeUnit.SECONDS));

        long startNanos = System.nanoTime();
        assertEquals(200, new HttpProbe(http.port()).get("/healthz").status());
        assertTrue(System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(2));
        assertFalse(slow.isDone());

        releaseSlow.countDown();
        assertEquals(200, slow.get(5, TimeUnit.SECONDS).status());
    }

    @Test
    void stopLetsInFlightRequestsFinishAndRefusesNewConnections() throws Exception {
        HelloServer server = start(CONFIG, RELEASE);
        server.markReady();
        HttpProbe http = new HttpProbe(server.port());
        CompletableFuture<HttpProbe.Answer> slow = http.getAsync("/slow");
        assertTrue(slowEntered.await(5, TimeUnit.SECONDS));

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(server::stop);
        awaitConnectionRefused(server.port());
        assertFalse(stopped.isDone(), "stop must wait for the in-flight request");

        releaseSlow.countDown();
        assertEquals(Map.of("slow", "done"), slow.get(5, TimeUnit.SECONDS).json());
        assertTrue(stopped.get(5, TimeUnit.SECONDS));
        List<String> messages = capture.messages();
        assertEquals("draining", messages.get(2));
        assertEquals("stopped", messages.get(messages.size() - 1));
    }

    @Test
    void stopReturnsPromptlyWhenIdle() throws IOException {
        HelloServer server = start(new Config(0, 10, "hi"), RELEASE);
        server.markReady();

        long startNanos = System.nanoTime();
        assertTrue(server.stop());

        assertTrue(System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(2),
                "an idle server must not sit out its whole grace period");
    }

    @Test
    void stopGivesUpOnRequestsThatOutlastTheGrace() throws Exception {
        HelloServer server = start(new Config(0, 1, "hi"), RELEASE);
        server.markReady();
        new HttpProbe(server.port()).getAsync("/slow");
        assertTrue(slowEntered.await(5, TimeUnit.SECONDS));

        assertFalse(server.stop());

        Map<String, Object> last = capture.entries().get(capture.entries().size() - 1);
        assertEquals("WARN", last.get("level"));
        assertEquals(1L, last.get("abandoned"));
    }

    @Test
    void refusesToStartOnAPortInUse() throws IOException {
        HelloServer first = start(CONFIG, RELEASE);
        assertThrows(IOException.class, () -> HelloServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), first.port()), CONFIG, RELEASE, capture.log, Map.of()));
    }

    private static void awaitConnectionRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                HttpClient fresh = HttpProbe.newClient();
                fresh.send(new HttpProbe(port).request("/healthz").timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                // The listener is closing; try again until connecting itself fails.
            }
            Thread.sleep(20);
        }
        throw new AssertionError("server still accepted connections 5 s after stop began");
    }

    private static HttpResponse<String> sendRaw(HttpRequest request) {
        try {
            return HttpProbe.newClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
