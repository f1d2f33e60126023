package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The gracefulStop check: {@code stop -t N} (SIGTERM, then SIGKILL after N seconds) and how the
 * container ended. Only an exit of the service's own after SIGTERM (0, or 143 for the signal) passes;
 * a kill (137) fails.
 */
final class GracefulStop {
  private final SmokeContainer container;
  private final long limit;

  /** {@code timeout}: how long the service may take to stop, whole seconds. */
  GracefulStop(SmokeContainer container, Duration timeout) {
    this.container = container;
    this.limit = timeout.toSeconds();
  }

  /** Stops the container; returns how long it took, in ms. */
  long stop(Consumer<String> progress) throws InterruptedException {
    ContainerRuntime runtime = container.runtime();
    progress.accept("stopping " + container.name() + " (at most " + limit + " s)");
    long mark = System.nanoTime();
    // Beyond the service's own time, the runtime gets as long as for any quick command.
    ContainerRuntime.Result stop = runtime.run(runtime.stop(container.name(), limit), Map.of(),
        Duration.ofSeconds(limit).plus(ContainerRuntime.COMMAND_TIMEOUT));
    long millis = Timing.millisSince(mark);
    if (!stop.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot stop " + container.name() + ": " + container.redact().apply(stop.error()));
    }
    return millis;
  }

  /** {@code state}: the container's {@code State} after the stop; {@code millis}: what {@link #stop} returned. */
  SmokeCheck check(Readiness readiness, long millis, JsonNode state) {
    String expected = "exit 0 or 143 within " + limit + " s of SIGTERM";
    int exitCode = state.path("ExitCode").asInt(-1);
    boolean oomKilled = state.path("OOMKilled").asBoolean(false);
    ObjectNode facts = Json.object().put("exitCode", exitCode).put("durationMs", millis).put("limitMs", limit * 1000)
        .put("oomKilled", oomKilled);
    if (state.path("Running").asBoolean(false)) {
      return SmokeCheck.of("gracefulStop", false, expected, "still running after " + container.runtime().name() + " stop", facts);
    }
    if (readiness.exited()) {
      return SmokeCheck.of("gracefulStop", false, expected, "had exited with " + exitCode + " before SIGTERM", facts);
    }
    if (exitCode == 137 || oomKilled) {
      return SmokeCheck.of("gracefulStop", false, expected, "killed (exit " + exitCode + ") after " + SmokeCheck.seconds(millis)
          + (oomKilled ? ": out of memory" : ": still running " + limit + " s after SIGTERM"), facts);
    }
    return SmokeCheck.of("gracefulStop", exitCode == 0 || exitCode == 143, expected,
        "exit " + exitCode + " after " + SmokeCheck.seconds(millis), facts);
  }
}
