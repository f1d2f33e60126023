package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The readiness and startup checks a wait for readiness decides. */
class ReadinessTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_STARTUP = Duration.ofSeconds(10);

  @Test
  void readyWithinTheStartupLimitPassesBoth() {
    Readiness readiness = new Readiness(true, false, 1250, 7, "ready after 1.25 s");
    assertEquals("{\"name\":\"readiness\",\"result\":\"passed\",\"expected\":\"2xx from /readyz within 30 s\","
        + "\"measured\":\"ready after 1.25 s\",\"path\":\"/readyz\",\"valueMs\":1250,\"limitMs\":30000,\"polls\":7}",
        readiness.readinessCheck("/readyz", READY_TIMEOUT).toJson().toString());
    assertEquals("{\"name\":\"startup\",\"result\":\"passed\",\"expected\":\"start to first ready within 10 s\","
        + "\"measured\":\"1.25 s\",\"valueMs\":1250,\"limitMs\":10000}", readiness.startupCheck(MAX_STARTUP).toJson().toString());
  }

  @Test
  void readyButSlowerThanTheStartupLimitFailsOnlyStartup() {
    Readiness readiness = new Readiness(true, false, 10_001, 40, "ready after 10.00 s");
    assertEquals(SmokeCheck.Result.PASSED, readiness.readinessCheck("/readyz", READY_TIMEOUT).result());
    SmokeCheck startup = readiness.startupCheck(MAX_STARTUP);
    assertEquals(SmokeCheck.Result.FAILED, startup.result());
    assertEquals("10.00 s", startup.measured());
  }

  @Test
  void neverReadyFailsBothAndSaysWhy() {
    Readiness readiness = new Readiness(false, true, 800, 5, "container exited with 3 after 0.80 s, before it was ready");
    SmokeCheck check = readiness.readinessCheck("/readyz", READY_TIMEOUT);
    assertEquals(SmokeCheck.Result.FAILED, check.result());
    assertEquals("container exited with 3 after 0.80 s, before it was ready", check.measured());
    SmokeCheck startup = readiness.startupCheck(MAX_STARTUP);
    assertEquals(SmokeCheck.Result.FAILED, startup.result(), "800 ms is within the limit, but the service was never ready");
    assertEquals("never ready", startup.measured());
  }
}
