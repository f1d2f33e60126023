package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.releasegate.base.Json;
import dev.releasegate.image.ImageSecrets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Trivy copies the image config into its report ({@code Metadata.ImageConfig}: environment, labels,
 * command, history), and the report is signed evidence attached to the image. What the readiness lint
 * calls a secret there is replaced by {@link ImageSecrets#marker} before the report is kept, so the
 * evidence never publishes what the gate rejects.
 */
final class ReportSecrets {
  private ReportSecrets() {}

  /** The report without the secrets of its image config, or empty when it holds none (and is kept as trivy wrote it). */
  static Optional<byte[]> removed(byte[] raw) throws IOException {
    JsonNode report = Json.parse(raw);
    JsonNode image = report.path("Metadata").path("ImageConfig");
    boolean changed = false;
    JsonNode config = image.path("config");
    if (config.path("Env") instanceof ArrayNode env) {
      changed |= pairs(env);
    }
    for (String field : new String[] {"Cmd", "Entrypoint"}) {
      if (config.path(field) instanceof ArrayNode arguments) {
        changed |= pairs(arguments);
      }
    }
    if (config.path("Labels") instanceof ObjectNode labels) {
      List<String> names = new ArrayList<>();
      labels.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        changed |= replace(ImageSecrets.inPair(name, labels.get(name).asText()), marker -> labels.set(name, marker));
      }
    }
    for (JsonNode step : image.path("history")) {
      if (step instanceof ObjectNode history && history.path("created_by").isTextual()) {
        changed |= replace(ImageSecrets.inValue(history.get("created_by").asText()), marker -> history.set("created_by", marker));
      }
    }
    return changed ? Optional.of(Json.pretty(report)) : Optional.empty();
  }

  /** {@code NAME=value} items, or bare values. */
  private static boolean pairs(ArrayNode items) {
    boolean changed = false;
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i).asText();
      int equals = item.indexOf('=');
      Optional<String> kind = equals > 0 ? ImageSecrets.inPair(item.substring(0, equals), item.substring(equals + 1)) : ImageSecrets.inValue(item);
      if (kind.isPresent()) {
        items.set(i, TextNode.valueOf((equals > 0 ? item.substring(0, equals + 1) : "") + ImageSecrets.marker(kind.get())));
        changed = true;
      }
    }
    return changed;
  }

  private static boolean replace(Optional<String> kind, Consumer<JsonNode> set) {
    kind.ifPresent(secret -> set.accept(TextNode.valueOf(ImageSecrets.marker(secret))));
    return kind.isPresent();
  }
}
