package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** How the gracefulStop check reads the container's state after {@code stop -t 10}. */
class GracefulStopTest {
  private static final Readiness READY = new Readiness(true, false, 500, 3, "ready after 0.50 s");
  private final GracefulStop stop = new GracefulStop(new SmokeContainer(
      new ContainerRuntime(ContainerRuntime.Kind.PODMAN, Path.of("/nonexistent/podman"), Map.of()), "c", UnaryOperator.identity()),
      Duration.ofSeconds(10));

  private static JsonNode state(String json) throws IOException {
    return Json.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private SmokeCheck check(Readiness readiness, long millis, String state) throws IOException {
    return stop.check(readiness, millis, state(state));
  }

  @Test
  void exitOnSigtermPasses() throws IOException {
    SmokeCheck check = check(READY, 120, "{\"Running\":false,\"ExitCode\":143,\"OOMKilled\":false}");
    assertEquals(SmokeCheck.Result.PASSED, check.result());
    assertEquals("exit 143 after 0.12 s", check.measured());
    assertEquals("exit 0 or 143 within 10 s of SIGTERM", check.expected());
    assertEquals("{\"exitCode\":143,\"durationMs\":120,\"limitMs\":10000,\"oomKilled\":false}", check.facts().toString());
    assertEquals(SmokeCheck.Result.PASSED, check(READY, 90, "{\"Running\":false,\"ExitCode\":0}").result());
  }

  @Test
  void otherExitCodesFail() throws IOException {
    SmokeCheck check = check(READY, 90, "{\"Running\":false,\"ExitCode\":1}");
    assertEquals(SmokeCheck.Result.FAILED, check.result());
    assertEquals("exit 1 after 0.09 s", check.measured());
  }

  @Test
  void killAfterTheLimitAndOutOfMemoryAreToldApart() throws IOException {
    assertEquals("killed (exit 137) after 10.30 s: still running 10 s after SIGTERM",
        check(READY, 10_300, "{\"Running\":false,\"ExitCode\":137,\"OOMKilled\":false}").measured());
    SmokeCheck oom = check(READY, 50, "{\"Running\":false,\"ExitCode\":137,\"OOMKilled\":true}");
    assertEquals(SmokeCheck.Result.FAILED, oom.result());
    assertEquals("killed (exit 137) after 0.05 s: out of memory", oom.measured());
  }

  @Test
  void aContainerStillRunningOrExitedBeforeTheStopFails() throws IOException {
    assertEquals("still running after podman stop", check(READY, 10_000, "{\"Running\":true,\"ExitCode\":0}").measured());
    Readiness exited = new Readiness(false, true, 300, 2, "container exited with 3 after 0.30 s, before it was ready");
    SmokeCheck check = check(exited, 5, "{\"Running\":false,\"ExitCode\":3}");
    assertEquals(SmokeCheck.Result.FAILED, check.result());
    assertEquals("had exited with 3 before SIGTERM", check.measured());
  }
}
