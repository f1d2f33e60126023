package dev.releasegate.stages.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.evidence.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an image config ({@code config} of the OCI/Docker image JSON) the lint looks at.
 *
 * @param docker a Docker v2.2 image, whose config may declare a health check; false for OCI
 * @param user {@code User}, empty when unset (which means root)
 * @param environment {@code Env} as name → value, in order; a later duplicate wins, as at run time
 * @param labels {@code Labels}
 * @param entrypoint {@code Entrypoint}, empty when unset
 * @param cmd {@code Cmd}, empty when unset
 * @param exposedPorts the keys of {@code ExposedPorts}, e.g. {@code 8080/tcp}
 * @param healthcheck {@code Healthcheck.Test}, when the config has one
 */
record ImageConfig(
    boolean docker,
    String user,
    Map<String, String> environment,
    Map<String, String> labels,
    List<String> entrypoint,
    List<String> cmd,
    List<String> exposedPorts,
    Optional<List<String>> healthcheck) {

  ImageConfig {
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    exposedPorts = List.copyOf(exposedPorts);
    healthcheck = healthcheck.map(List::copyOf);
  }

  /** What the container runs: the entrypoint followed by the command (its arguments), as the runtime does. */
  List<String> commandLine() {
    List<String> line = new ArrayList<>(entrypoint);
    line.addAll(cmd);
    return line;
  }

  /**
   * Parses the image config JSON strictly enough to trust what it says: a field of the wrong type is
   * an error, not an absent field, so that a malformed config cannot pass a check by omission.
   */
  static ImageConfig parse(byte[] json, boolean docker) throws IOException {
    JsonNode root = Json.parse(json);
    if (!root.isObject()) {
      throw new IOException("the image config is not a JSON object");
    }
    JsonNode config = root.path("config");
    if (config.isMissingNode() || config.isNull()) {
      return new ImageConfig(docker, "", Map.of(), Map.of(), List.of(), List.of(), List.of(), Optional.empty());
    }
    if (!config.isObject()) {
      throw new IOException("config is not an object");
    }
    String user = text(config, "User");
    Map<String, String> environment = new LinkedHashMap<>();
    for (String entry : strings(config, "Env", "config.Env")) {
      int equals = entry.indexOf('=');
      environment.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode labelNode = config.path("Labels");
    if (!labelNode.isMissingNode() && !labelNode.isNull()) {
      if (!labelNode.isObject()) {
        throw new IOException("config.Labels is not an object");
      }
      for (Map.Entry<String, JsonNode> field : labelNode.properties()) {
        if (!field.getValue().isTextual()) {
          throw new IOException("config.Labels." + field.getKey() + " is not a string");
        }
        labels.put(field.getKey(), field.getValue().asText());
      }
    }
    List<String> ports = new ArrayList<>();
    JsonNode portNode = config.path("ExposedPorts");
    if (!portNode.isMissingNode() && !portNode.isNull()) {
      if (!portNode.isObject()) {
        throw new IOException("config.ExposedPorts is not an object");
      }
      portNode.fieldNames().forEachRemaining(ports::add);
    }
    Optional<List<String>> healthcheck = Optional.empty();
    JsonNode health = config.path("Healthcheck");
    if (!health.isMissingNode() && !health.isNull()) {
      if (!health.isObject()) {
        throw new IOException("config.Healthcheck is not an object");
      }
      healthcheck = Optional.of(strings(health, "Test", "config.Healthcheck.Test"));
    }
    return new ImageConfig(docker, user, environment, labels, strings(config, "Entrypoint", "config.Entrypoint"),
        strings(config, "Cmd", "config.Cmd"), ports, healthcheck);
  }

  private static String text(JsonNode parent, String field) throws IOException {
    JsonNode node = parent.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw new IOException("config." + field + " is not a string");
    }
    return node.asText();
  }

  private static List<String> strings(JsonNode parent, String field, String shown) throws IOException {
    JsonNode node = parent.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IOException(shown + " is not a list");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new IOException(shown + " holds a value that is not a string");
      }
      values.add(element.asText());
    }
    return values;
  }
}
