package dev.releasegate.examples.hello;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A plain HTTP/1.1 client for one server on the loopback interface. */
final class HttpProbe {

    /** An answer with its body already parsed as a JSON object. */
    record Answer(int status, Map<String, Object> json, HttpResponse<String> raw) {
    }

    private final HttpClient client = newClient();
    private final int port;

    HttpProbe(int port) {
        this.port = port;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    int port() {
        return port;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    Answer send(HttpRequest request) {
        try {
            return toAnswer(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<Answer> getAsync(String path) {
        return client.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(HttpProbe::toAnswer);
    }

    private static Answer toAnswer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), LogCapture.parseObject(response.body()), response);
    }
}
