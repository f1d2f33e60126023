package dev.releasegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.http.ResponseException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Bounded exponential backoff with full jitter for registry calls. Transient failures (I/O errors,
 * timeouts, 5xx) are retried; answers that will not change (401, 403, other 4xx) never are, so a
 * wrong password is not hammered against the registry.
 *
 * <p>{@link #forWholePush} also retries the 4xx answers that concern an upload session rather than
 * the request. Two writers committing the same content-addressed blob at once can draw them from a
 * registry, and pushing the image again (which first asks which blobs exist) does not.
 */
public final class Retry {
  /** OCI distribution error codes about an upload session or a blob that a concurrent writer is committing. */
  static final Set<String> UPLOAD_RACE_CODES =
      Set.of("BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN", "DIGEST_INVALID", "BLOB_UNKNOWN", "MANIFEST_BLOB_UNKNOWN");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The call to retry. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws IOException, RegistryException, InterruptedException;
  }

  private final int attempts;
  private final Duration base;
  private final Duration cap;
  private final Consumer<String> log;
  private final boolean uploadRaces;

  public Retry(int attempts, Duration base, Duration cap, Consumer<String> log) {
    this(attempts, base, cap, log, false);
  }

  private Retry(int attempts, Duration base, Duration cap, Consumer<String> log, boolean uploadRaces) {
    if (attempts < 1 || base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("attempts >= 1 and 0 <= base <= cap");
    }
    this.attempts = attempts;
    this.base = base;
    this.cap = cap;
    this.log = log;
    this.uploadRaces = uploadRaces;
  }

  /** The defaults: 5 attempts, 250 ms doubling up to 4 s, about 8 s of waiting at most. */
  public static Retry standard(Consumer<String> log) {
    return new Retry(5, Duration.ofMillis(250), Duration.ofSeconds(4), log);
  }

  /** For a call that pushes a whole image and may safely start over: also retries upload races. */
  public Retry forWholePush() {
    return new Retry(attempts, base, cap, log, true);
  }

  public <T> T run(String what, Call<T> call) throws IOException, RegistryException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (IOException | RegistryException e) {
        if (attempt >= attempts || !retriable(e, uploadRaces)) {
          throw e;
        }
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << (attempt - 1));
        long sleep = ThreadLocalRandom.current().nextLong(ceiling + 1);
        log.accept(what + " failed (" + describe(e) + "); retry " + attempt + "/" + (attempts - 1) + " in " + sleep + " ms");
        Thread.sleep(sleep);
      }
    }
  }

  /** I/O failures and 5xx answers are transient; any other answer is the registry's final word, upload races aside. */
  static boolean retriable(Exception e, boolean uploadRaces) {
    ResponseException response = response(e);
    if (response == null) {
      // Bytes that do not match their digest are what the registry holds, not a broken connection.
      return e instanceof IOException && !mismatch(e);
    }
    return response.getStatusCode() >= 500 || uploadRaces && uploadRace(response);
  }

  /** jib's check that a pulled blob has its digest failed somewhere in {@code e}'s causes (jib's class is not public). */
  static boolean mismatch(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getClass().getName().equals("com.google.cloud.tools.jib.registry.UnexpectedBlobDigestException")) {
        return true;
      }
    }
    return false;
  }

  private static boolean uploadRace(ResponseException response) {
    if (response.getStatusCode() != 400 && response.getStatusCode() != 404 || response.getContent() == null) {
      return false;
    }
    try {
      for (JsonNode error : JSON.readTree(response.getContent()).path("errors")) {
        if (UPLOAD_RACE_CODES.contains(error.path("code").asText())) {
          return true;
        }
      }
    } catch (IOException notJson) {
      // An answer that is not a distribution error document says nothing about uploads.
    }
    return false;
  }

  /** jib wraps 400, 404 and 405 answers in a RegistryException whose cause is the answer. */
  private static ResponseException response(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ResponseException response) {
        return response;
      }
    }
    return null;
  }

  static String describe(Exception e) {
    ResponseException response = response(e);
    if (response != null) {
      return "HTTP " + response.getStatusCode();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
