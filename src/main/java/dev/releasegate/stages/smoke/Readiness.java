package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.time.Duration;

/**
 * How waiting for readiness ended, and the readiness and startup checks it decides.
 *
 * @param exited the container ended on its own before it was ready
 * @param millis from the start of the run to the end of the wait
 */
record Readiness(boolean ready, boolean exited, long millis, int polls, String measured) {

  SmokeCheck readinessCheck(String path, Duration timeout) {
    long limit = timeout.toSeconds();
    ObjectNode facts = Json.object().put("path", path).put("valueMs", millis).put("limitMs", limit * 1000).put("polls", polls);
    return SmokeCheck.of("readiness", ready, "2xx from " + path + " within " + limit + " s", measured, facts);
  }

  SmokeCheck startupCheck(Duration maxStartup) {
    long limit = maxStartup.toSeconds();
    ObjectNode facts = Json.object().put("valueMs", millis).put("limitMs", limit * 1000);
    String expected = "start to first ready within " + limit + " s";
    if (!ready) {
      return SmokeCheck.of("startup", false, expected, "never ready", facts);
    }
    return SmokeCheck.of("startup", millis <= limit * 1000, expected, SmokeCheck.seconds(millis), facts);
  }
}
