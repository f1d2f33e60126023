package dev.releasegate.examples.hello;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Dispatches on exact path, answers only GET, writes JSON and logs one access line per request.
 * The JDK server's contexts match path prefixes, so one handler on "/" keeps the routing exact.
 */
final class Router implements HttpHandler {

    /**
     * @param accessLogged false for probes: an orchestrator GETs them every few seconds, and logging
     *                     each call would bury the lines that matter
     */
    record Route(boolean accessLogged, Supplier<JsonResponse> responder) {
    }

    private final Map<String, Route> routes;
    private final JsonLog log;
    private final InFlightRequests inFlight;

    Router(Map<String, Route> routes, JsonLog log, InFlightRequests inFlight) {
        this.routes = Map.copyOf(routes);
        this.log = log;
        this.inFlight = inFlight;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long startNanos = System.nanoTime();
        inFlight.enter();
        String method = exchange.getRequestMethod();
        // The raw path: routing on the decoded one would let "/%68ealthz" reach /healthz.
        String path = exchange.getRequestURI().getRawPath();
        Route route = routes.get(path);
        boolean accessLogged = route == null || route.accessLogged() || !"GET".equals(method);
        JsonResponse response;
        try {
            response = respond(route, method, path, exchange.getResponseHeaders());
        } catch (RuntimeException e) {
            log.error("request failed", e, "method", method, "path", path);
            response = JsonResponse.of(500, "error", "internal error");
            accessLogged = true;
        }
        try {
            send(exchange, response);
        } catch (IOException e) {
            // The client went away mid-response; nothing is left to tell it.
            log.warn("response not delivered", "method", method, "path", path, "reason", String.valueOf(e.getMessage()));
        } finally {
            exchange.close();
            if (accessLogged) {
                log.info("request", "method", method, "path", path, "status", response.status(),
                        "durationMs", (System.nanoTime() - startNanos) / 1_000_000);
            }
            // Last, so shutdown's "stopped" line comes after every request's own line.
            inFlight.exit();
        }
    }

    private static JsonResponse respond(Route route, String method, String path, Headers responseHeaders) {
        if (route == null) {
            return JsonResponse.of(404, "error", "not found", "path", path);
        }
        if (!"GET".equals(method)) {
            responseHeaders.set("Allow", "GET");
            return JsonResponse.of(405, "error", "method not allowed", "method", method);
        }
        return route.responder().get();
    }

    private static void send(HttpExchange exchange, JsonResponse response) throws IOException {
        byte[] body = Json.object(response.body());
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        // Readiness changes over the life of the process; a cached answer would mislead a probe.
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            // A HEAD answer has no body; -1 tells the JDK server so instead of announcing a length.
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
