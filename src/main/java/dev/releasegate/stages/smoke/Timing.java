package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;

/**
 * How long each step of one smoke run took, in ms, in the order the steps ran (the predicate keeps
 * that order), and what the stage adds beyond the service's own start.
 */
final class Timing {
  private final long begun = System.nanoTime();
  private final ObjectNode node = Json.object();

  void put(String name, long millis) {
    node.put(name, millis);
  }

  /** Records the ms since {@code mark} (a {@link System#nanoTime()}). */
  void since(String name, long mark) {
    put(name, millisSince(mark));
  }

  /** Adds the totals; call once, when the run is over. */
  ObjectNode finish() {
    long total = millisSince(begun);
    long startup = node.path("startupMs").asLong();
    node.put("totalMs", total);
    // What the stage adds to the container's own start-to-ready time; and what is left of that after
    // the service's own stop (its drain plus the runtime's teardown) and a first pull.
    node.put("beyondStartupMs", total - startup);
    node.put("overheadMs", total - startup - node.path("stopMs").asLong() - node.path("pullMs").asLong());
    return node;
  }

  static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }
}
