package dev.releasegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.http.ResponseException;
import java.lang.reflect.Constructor;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
  private final List<String> log = new ArrayList<>();
  private final Retry retry = new Retry(4, Duration.ZERO, Duration.ofMillis(1), log::add);

  @Test
  void transientFailuresAreRetriedUpToTheBound() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String result = retry.run("read", () -> {
      if (calls.incrementAndGet() < 3) {
        throw new SocketTimeoutException("slow");
      }
      return "ok";
    });
    assertEquals("ok", result);
    assertEquals(3, calls.get());
    assertEquals(2, log.size());
    assertTrue(log.get(0).startsWith("read failed (SocketTimeoutException: slow); retry 1/3 in "), log.get(0));

    AtomicInteger always = new AtomicInteger();
    assertThrows(IOException.class, () -> retry.run("read", () -> {
      always.incrementAndGet();
      throw new IOException("down");
    }));
    assertEquals(4, always.get(), "bounded: 4 attempts in all");
  }

  @Test
  void registryRefusalsAreNeverRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(RegistryException.class, () -> retry.run("read", () -> {
      calls.incrementAndGet();
      throw new RegistryException("401");
    }));
    assertEquals(1, calls.get());
  }

  @Test
  void uploadRacesAreRetriedOnlyForAWholePush() throws Exception {
    String race = "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\",\"message\":\"blob upload invalid\"}]}";
    AtomicInteger strict = new AtomicInteger();
    RegistryException refused = assertThrows(RegistryException.class, () -> retry.run("push", () -> {
      strict.incrementAndGet();
      throw new RegistryException("rejected", answer(400, race));
    }));
    assertEquals(1, strict.get(), "a single call is not idempotent enough to repeat: " + refused);

    AtomicInteger whole = new AtomicInteger();
    String pushed = retry.forWholePush().run("push", () -> {
      if (whole.incrementAndGet() == 1) {
        throw new RegistryException("rejected", answer(400, race));
      }
      return "pushed";
    });
    assertEquals("pushed", pushed);
    assertEquals(2, whole.get());
    assertTrue(log.get(0).startsWith("push failed (HTTP 400); retry 1/3"), log.get(0));
  }

  @Test
  void otherClientErrorsEndAWholePushAtOnce() {
    for (String body : List.of(
        "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\"}]}",
        "{\"errors\":[{\"code\":\"MANIFEST_INVALID\"}]}",
        "<html>Bad Request</html>",
        "")) {
      AtomicInteger calls = new AtomicInteger();
      assertThrows(RegistryException.class, () -> retry.forWholePush().run("push", () -> {
        calls.incrementAndGet();
        throw new RegistryException("rejected", answer(400, body));
      }));
      assertEquals(1, calls.get(), body);
    }
    AtomicInteger forbidden = new AtomicInteger();
    assertThrows(IOException.class, () -> retry.forWholePush().run("push", () -> {
      forbidden.incrementAndGet();
      throw answer(403, "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\"}]}");
    }));
    assertEquals(1, forbidden.get(), "the code only counts on 400 and 404");
  }

  @Test
  void serverErrorsAreRetriedEvenWhenWrapped() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    assertEquals("ok", retry.run("read", () -> {
      if (calls.incrementAndGet() == 1) {
        throw new RegistryException("wrapped", answer(503, ""));
      }
      return "ok";
    }));
    assertEquals(2, calls.get());
  }

  /** A real jib ResponseException, as jib builds it from an HTTP answer (its constructor is package-private). */
  private static ResponseException answer(int status, String body) {
    HttpResponseException http = new HttpResponseException.Builder(status, "status " + status, new HttpHeaders()).setContent(body).build();
    try {
      Constructor<ResponseException> constructor = ResponseException.class.getDeclaredConstructor(HttpResponseException.class, boolean.class);
      constructor.setAccessible(true);
      return constructor.newInstance(http, false);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("jib's ResponseException changed shape", e);
    }
  }
}
