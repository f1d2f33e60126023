package dev.releasegate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A reverse proxy in front of a real registry that answers the first {@code failures} matching
 * requests with {@code status} itself, then forwards. It records every request it sees, so tests can
 * count retries.
 */
public final class FlakyProxy implements AutoCloseable {
  private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "transfer-encoding", "expect", "upgrade");

  private final HttpServer server;
  private final ServerSocket front;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final String upstream;
  private final Predicate<String> matches;
  private final int status;
  private final AtomicInteger failuresLeft;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private volatile boolean drops;

  public FlakyProxy(String upstreamAddress, Predicate<String> matches, int failures, int status) throws IOException {
    this.upstream = "http://" + upstreamAddress;
    this.matches = matches;
    this.status = status;
    this.failuresLeft = new AtomicInteger(failures);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    this.front = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "flaky-proxy-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A registry that answers every request with {@code status} and has nothing behind it, e.g. 403: it refuses. */
  public static FlakyProxy refusing(int status) throws IOException {
    return new FlakyProxy("127.0.0.1:1", request -> true, Integer.MAX_VALUE, status);
  }

  /** What a stage says when this registry, {@link #refusing(int) refusing} with 401 or 403, refuses to {@code action}. */
  public String refusal(String action) {
    return "registry " + address() + " refused to " + action + " (HTTP 401/403); log in (docker login " + address() + ") or set "
        + "RELEASEGATE_REGISTRY_USERNAME and RELEASEGATE_REGISTRY_PASSWORD";
  }

  /**
   * A registry that takes each plain HTTP connection and closes it without an answer, as one killed in
   * the middle of a request does; a TLS hello still gets the 400 that makes jib fall back to HTTP.
   */
  public static FlakyProxy dropping() throws IOException {
    FlakyProxy proxy = new FlakyProxy("127.0.0.1:1", request -> true, 0, 0);
    proxy.drops = true;
    return proxy;
  }

  /** From now on every request is forwarded: the registry "comes back". */
  public void heal() {
    failuresLeft.set(0);
  }

  public String address() {
    return "127.0.0.1:" + front.getLocalPort();
  }

  /**
   * jib tries HTTPS first and falls back to plain HTTP when the server answers the TLS hello with
   * something else, as Go servers (the registry) do with a 400. The JDK's HTTP server would wait for a
   * request line instead, so this front answers TLS itself and pipes everything else through.
   */
  private void accept() {
    while (!front.isClosed()) {
      try {
        Socket client = front.accept();
        Thread pipe = new Thread(() -> serve(client), "flaky-proxy-pipe");
        pipe.setDaemon(true);
        pipe.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client; Socket backend = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
      InputStream in = client.getInputStream();
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (first == 0x16) {
        client.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (drops) {
        seen.add("dropped");
        return;
      }
      backend.getOutputStream().write(first);
      Thread upstream = new Thread(() -> copy(in, backend), "flaky-proxy-up");
      upstream.setDaemon(true);
      upstream.start();
      copy(backend.getInputStream(), client);
    } catch (IOException ignored) {
      // A connection the client dropped.
    }
  }

  private static void copy(InputStream in, Socket out) {
    try {
      in.transferTo(out.getOutputStream());
      out.shutdownOutput();
    } catch (IOException ignored) {
      // The other side closed.
    }
  }

  /** "METHOD path" of every request, in order. */
  public List<String> seen() {
    return List.copyOf(seen);
  }

  public long count(Predicate<String> request) {
    return seen.stream().filter(request).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String line = exchange.getRequestMethod() + " " + exchange.getRequestURI();
    seen.add(line);
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (matches.test(line) && failuresLeft.getAndDecrement() > 0) {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      if (status == 401) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"flaky\"");
      }
      byte[] error = ("{\"errors\":[{\"code\":\"FLAKY\",\"message\":\"injected " + status + "\"}]}").getBytes();
      exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : error.length);
      if (!exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseBody().write(error);
      }
      exchange.close();
      return;
    }
    HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!HOP_HEADERS.contains(name.toLowerCase())) {
        values.forEach(value -> forward.header(name, value));
      }
    });
    try {
      HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().map().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
          String value = name.equalsIgnoreCase("location") ? String.join(",", values).replace(upstream, "http://" + address()) : null;
          if (value != null) {
            exchange.getResponseHeaders().add(name, value);
          } else {
            values.forEach(v -> exchange.getResponseHeaders().add(name, v));
          }
        }
      });
      boolean head = exchange.getRequestMethod().equals("HEAD");
      // A HEAD answer carries the size of what a GET would return; clients (jib) read it.
      response.headers().firstValue("Content-Length").filter(length -> head).ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
      boolean noBody = head || response.body().length == 0;
      exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : response.body().length);
      if (!noBody) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(502, -1);
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    try {
      front.close();
    } catch (IOException ignored) {
      // Closing a listening socket does not fail in practice.
    }
    server.stop(0);
  }
}
