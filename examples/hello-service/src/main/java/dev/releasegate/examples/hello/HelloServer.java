package dev.releasegate.examples.hello;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP server and its life cycle: start (not ready), ready, draining, stopped. */
public final class HelloServer {

    /** Enough that one slow request never holds up a probe; few enough to fit a small container. */
    static final int WORKER_THREADS = 8;
    /** Past this backlog new requests are turned away at once rather than left to time out. */
    static final int QUEUE_CAPACITY = 64;

    private final HttpServer httpServer;
    private final ThreadPoolExecutor workers;
    private final Readiness readiness = new Readiness();
    private final InFlightRequests inFlight = new InFlightRequests();
    private final AtomicBoolean listenerClosing = new AtomicBoolean();
    private final Duration shutdownGrace;
    private final JsonLog log;

    private HelloServer(HttpServer httpServer, ThreadPoolExecutor workers, Duration shutdownGrace, JsonLog log) {
        this.httpServer = httpServer;
        this.workers = workers;
        this.shutdownGrace = shutdownGrace;
        this.log = log;
    }

    /**
     * Listens on every interface on {@code config.port()} and serves requests, but reports not ready
     * until {@link #markReady()}.
     */
    public static HelloServer start(Config config, ReleaseInfo release, JsonLog log) throws IOException {
        return start(new InetSocketAddress(config.port()), config, release, log, Map.of());
    }

    /** For tests: a chosen address (port 0 picks a free one) and extra routes. */
    static HelloServer start(InetSocketAddress address, Config config, ReleaseInfo release, JsonLog log,
                             Map<String, Router.Route> extraRoutes) throws IOException {
        HttpServer httpServer = HttpServer.create(address, 0);
        ThreadPoolExecutor workers = newWorkers(log);
        HelloServer server = new HelloServer(httpServer, workers,
                Duration.ofSeconds(config.shutdownGraceSeconds()), log);
        Map<String, Router.Route> routes = new LinkedHashMap<>(server.routes(config.greeting(), release));
        routes.putAll(extraRoutes);
        httpServer.createContext("/", new Router(routes, log, server.inFlight));
        httpServer.setExecutor(workers);
        httpServer.start();
        log.info("started", "port", server.port(), "revision", release.revision(), "version", release.version(),
                "shutdownGraceSeconds", config.shutdownGraceSeconds());
        return server;
    }

    private Map<String, Router.Route> routes(String greeting, ReleaseInfo release) {
        JsonResponse greetingResponse = JsonResponse.of(200, "greeting", greeting, "service", "hello-service");
        JsonResponse versionResponse = JsonResponse.of(200, "revision", release.revision(), "version", release.version());
        JsonResponse healthy = JsonResponse.of(200, "status", "ok");
        return Map.of(
                "/", new Router.Route(true, () -> greetingResponse),
                "/healthz", new Router.Route(false, () -> healthy),
                "/readyz", new Router.Route(false, this::readinessResponse),
                "/version", new Router.Route(true, () -> versionResponse));
    }

    private JsonResponse readinessResponse() {
        Readiness.State state = readiness.current();
        return JsonResponse.of(state == Readiness.State.READY ? 200 : 503, "status", state.label());
    }

    private static ThreadPoolExecutor newWorkers(JsonLog log) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "http-worker-" + threadNumber.incrementAndGet());
            // The listener thread keeps the process alive; idle workers must not keep it from exiting.
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), threads, (task, executor) -> {
                    log.warn("request rejected: server busy", "workers", WORKER_THREADS, "queued", QUEUE_CAPACITY);
                    // The JDK server closes the connection when the executor refuses the exchange.
                    throw new RejectedExecutionException("server busy");
                });
    }

    /** The port actually bound, which differs from the configured one when that was 0. */
    public int port() {
        return httpServer.getAddress().getPort();
    }

    /** Called once start-up work is done; has no effect once draining began. */
    public void markReady() {
        if (readiness.markReady()) {
            log.info("ready", "port", port());
        }
    }

    /** Fails readiness so load balancers stop sending traffic; serving goes on. */
    public void drain() {
        if (readiness.startDraining()) {
            log.info("draining", "inFlight", inFlight.count(), "shutdownGraceSeconds", shutdownGrace.toSeconds());
        }
    }

    /**
     * Drains, closes the listening socket and waits up to the shutdown grace for in-flight requests.
     * Safe to call more than once: later calls only wait.
     *
     * @return true when every in-flight request finished within the grace
     */
    public boolean stop() {
        drain();
        long startNanos = System.nanoTime();
        // HttpServer.stop closes the listener at once, then sleeps until its delay runs out; it runs on
        // its own thread so this one can return as soon as the last in-flight request is done.
        if (listenerClosing.compareAndSet(false, true)) {
            Thread closer = new Thread(() -> {
                httpServer.stop((int) shutdownGrace.toSeconds());
                workers.shutdown();
            }, "http-stop");
            closer.setDaemon(true);
            closer.start();
        }
        boolean idle;
        try {
            idle = inFlight.awaitIdle(shutdownGrace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        long drainMs = (System.nanoTime() - startNanos) / 1_000_000;
        if (idle) {
            log.info("stopped", "drainMs", drainMs);
        } else {
            log.warn("stopped with requests still in flight", "abandoned", inFlight.count(), "drainMs", drainMs);
        }
        return idle;
    }
}
