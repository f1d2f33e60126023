package dev.releasegate.stages.smoke;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * GETs on the container's published port on 127.0.0.1, never through a proxy.
 *
 * @param redact applied to what the service answered before it is quoted
 */
record ServiceHttp(int hostPort, UnaryOperator<String> redact) {
  /** Probe answers are small; a service streaming megabytes is not read to its end. */
  private static final int MAX_BODY = 1 << 20;
  private static final int EXCERPT_CHARS = 200;

  /** One answer to a GET. */
  record Answer(int status, byte[] body, long millis) {}

  /**
   * One GET on a connection of its own, as kubelet probes do: reusing a keep-alive connection to the
   * JDK's HttpServer costs some 40 ms per request in delayed ACKs, more than the request itself.
   */
  Answer get(String path, Duration timeout) throws IOException {
    long mark = System.nanoTime();
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + hostPort + path).toURL()
        .openConnection(Proxy.NO_PROXY);
    try {
      int millis = (int) Math.max(1, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("Connection", "close");
      int status = connection.getResponseCode();
      byte[] body;
      try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        body = in == null ? new byte[0] : in.readNBytes(MAX_BODY);
      }
      return new Answer(status, body, Timing.millisSince(mark));
    } finally {
      connection.disconnect();
    }
  }

  /** The start of a body, on one line and redacted, for the evidence. */
  String excerpt(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return redact.apply(text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "…" : text);
  }

  /** Why a GET got no answer, in a few words. */
  static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
