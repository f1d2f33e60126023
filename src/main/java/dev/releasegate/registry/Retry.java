package dev.releasegate.registry;

import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.http.ResponseException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Bounded exponential backoff with full jitter for registry calls. Transient failures (I/O errors,
 * timeouts, 5xx) are retried; answers that will not change (401, 403, other 4xx) never are, so a
 * wrong password is not hammered against the registry.
 */
public final class Retry {
  /** The call to retry. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws IOException, RegistryException, InterruptedException;
  }

  private final int attempts;
  private final Duration base;
  private final Duration cap;
  private final Consumer<String> log;

  public Retry(int attempts, Duration base, Duration cap, Consumer<String> log) {
    if (attempts < 1 || base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("attempts >= 1 and 0 <= base <= cap");
    }
    this.attempts = attempts;
    this.base = base;
    this.cap = cap;
    this.log = log;
  }

  /** The defaults: 5 attempts, 250 ms doubling up to 4 s, about 8 s of waiting at most. */
  public static Retry standard(Consumer<String> log) {
    return new Retry(5, Duration.ofMillis(250), Duration.ofSeconds(4), log);
  }

  public <T> T run(String what, Call<T> call) throws IOException, RegistryException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (IOException e) {
        if (attempt >= attempts || !retriable(e)) {
          throw e;
        }
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << (attempt - 1));
        long sleep = ThreadLocalRandom.current().nextLong(ceiling + 1);
        log.accept(what + " failed (" + describe(e) + "); retry " + attempt + "/" + (attempts - 1) + " in " + sleep + " ms");
        Thread.sleep(sleep);
      }
    }
  }

  /** I/O failures and 5xx answers are transient; any other HTTP status is the registry's final word. */
  static boolean retriable(IOException e) {
    if (e instanceof ResponseException response) {
      return response.getStatusCode() >= 500;
    }
    return true;
  }

  static String describe(IOException e) {
    if (e instanceof ResponseException response) {
      return "HTTP " + response.getStatusCode();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
