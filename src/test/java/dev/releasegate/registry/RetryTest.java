package dev.releasegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.RegistryException;
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
}
