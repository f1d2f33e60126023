package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.StageOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP GET check and what its answer must look like.
 *
 * @param status a code such as {@code 200} or a class such as {@code 2xx}
 * @param jsonPath a JSON Pointer (RFC 6901) into the body
 * @param equals the text the value at {@code jsonPath} must have
 */
record Probe(String path, String status, Optional<String> bodyContains, Optional<String> jsonPath, Optional<String> equals) {

  static Probe of(StageOptions options) {
    return new Probe(options.string("path"), options.string("status"), options.findString("bodyContains"),
        options.findString("jsonPath"), options.findString("equals"));
  }

  /** What the probe expects, in one line for the evidence. */
  String expected() {
    StringBuilder text = new StringBuilder(status);
    bodyContains.ifPresent(value -> text.append(", body contains '").append(value).append("'"));
    jsonPath.ifPresent(pointer -> text.append(", ").append(pointer)
        .append(equals.map(value -> " = '" + value + "'").orElse(" present")));
    return text.toString();
  }

  /** Every way the answer differs from what is expected; empty when it matches. */
  List<String> mismatches(int statusCode, byte[] body) {
    List<String> problems = new ArrayList<>();
    if (!statusMatches(status, statusCode)) {
      problems.add("status " + statusCode + ", expected " + status);
    }
    String text = new String(body, StandardCharsets.UTF_8);
    bodyContains.filter(value -> !text.contains(value)).ifPresent(value -> problems.add("body does not contain '" + value + "'"));
    if (jsonPath.isPresent()) {
      JsonNode root;
      try {
        root = Json.parse(body);
      } catch (IOException e) {
        problems.add("body is not JSON");
        return problems;
      }
      JsonNode value = root.at(jsonPath.get());
      if (value.isMissingNode()) {
        problems.add("no value at " + jsonPath.get());
      } else if (equals.isPresent() && !text(value).equals(equals.get())) {
        problems.add(jsonPath.get() + " is '" + text(value) + "', expected '" + equals.get() + "'");
      }
    }
    return problems;
  }

  /** {@code 2xx} matches 200–299; {@code 204} matches only 204. */
  static boolean statusMatches(String expected, int statusCode) {
    if (expected.endsWith("xx")) {
      return statusCode / 100 == expected.charAt(0) - '0';
    }
    return Integer.parseInt(expected) == statusCode;
  }

  /** Scalars compare as their text (so {@code equals: 3} matches the number 3); objects and arrays as compact JSON. */
  private static String text(JsonNode value) {
    return value.isValueNode() ? value.asText() : new String(Json.compact(value), StandardCharsets.UTF_8);
  }
}
