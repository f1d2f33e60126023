package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.util.Locale;

/**
 * One smoke check with the value it measured.
 *
 * @param facts check-specific measured values (numbers in ms, codes, sources) for the evidence
 */
record SmokeCheck(String name, Result result, String expected, String measured, ObjectNode facts) {

  enum Result {
    PASSED,
    FAILED,
    /** Not attempted because an earlier check made it meaningless (e.g. the container never became ready). */
    NOT_RUN;

    String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  static SmokeCheck of(String name, boolean passed, String expected, String measured, ObjectNode facts) {
    return new SmokeCheck(name, passed ? Result.PASSED : Result.FAILED, expected, measured, facts);
  }

  static SmokeCheck notRun(String name, String expected, String why) {
    return new SmokeCheck(name, Result.NOT_RUN, expected, "not run: " + why, Json.object());
  }

  boolean failed() {
    return result == Result.FAILED;
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("name", name);
    node.put("result", result.id());
    node.put("expected", expected);
    node.put("measured", measured);
    node.setAll(facts);
    return node;
  }

  /** Seconds with two decimals, e.g. {@code 1.25 s}. */
  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }
}
