package dev.releasegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** {@code --json}: one pretty-printed object on stdout, ending with one newline. */
final class JsonOutput {
  private JsonOutput() {}

  static void print(PrintWriter out, JsonNode node) {
    out.println(new String(Json.pretty(node), StandardCharsets.UTF_8).strip());
  }
}
