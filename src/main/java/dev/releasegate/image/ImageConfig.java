package dev.releasegate.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parts of an OCI or Docker v2.2 image config that releasegate reads.
 *
 * <p>The config is parsed strictly enough to trust what it says: a field of the wrong type is an
 * error, not an absent field, so that a malformed config cannot pass a check by omission. Fields it
 * does not use (history, volumes, stop signal) are not read at all.
 *
 * @param docker a Docker image config, whose schema has {@code Healthcheck}; false for OCI
 * @param architecture {@code architecture}, empty when unset
 * @param os {@code os}, empty when unset
 * @param user {@code User}, empty when unset (which means root)
 * @param environment {@code Env} as name → value, in order; a later duplicate wins, as at run time
 * @param labels {@code Labels}, in the config's order
 * @param entrypoint {@code Entrypoint}, empty when unset
 * @param cmd {@code Cmd}, empty when unset
 * @param exposedPorts the keys of {@code ExposedPorts}, e.g. {@code 8080/tcp}
 * @param workingDir {@code WorkingDir}, empty when unset
 * @param healthcheck {@code Healthcheck.Test}, when the config has a health check
 * @param diffIds {@code rootfs.diff_ids}: the sha256 of each uncompressed layer, bottom to top
 */
public record ImageConfig(
    boolean docker,
    String architecture,
    String os,
    String user,
    Map<String, String> environment,
    Map<String, String> labels,
    List<String> entrypoint,
    List<String> cmd,
    List<String> exposedPorts,
    String workingDir,
    Optional<List<String>> healthcheck,
    List<String> diffIds) {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public ImageConfig {
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    exposedPorts = List.copyOf(exposedPorts);
    healthcheck = healthcheck.map(List::copyOf);
    diffIds = List.copyOf(diffIds);
  }

  /** What the container runs: the entrypoint followed by the command (its arguments), as the runtime does. */
  public List<String> commandLine() {
    List<String> line = new ArrayList<>(entrypoint);
    line.addAll(cmd);
    return line;
  }

  /**
   * Parses image config JSON.
   *
   * @param docker whether the manifest is a Docker v2.2 one (whose config may hold a health check)
   * @throws IOException naming the first field that is not of its type, or a diff_id that is not
   *     {@code sha256:<64 hex>}
   */
  public static ImageConfig parse(byte[] json, boolean docker) throws IOException {
    JsonNode root = Json.parse(json);
    if (!root.isObject()) {
      throw new IOException("the image config is not a JSON object");
    }
    String architecture = text(root, "architecture", "architecture");
    String os = text(root, "os", "os");
    List<String> diffIds = diffIds(root);
    JsonNode config = root.path("config");
    if (config.isMissingNode() || config.isNull()) {
      return new ImageConfig(docker, architecture, os, "", Map.of(), Map.of(), List.of(), List.of(), List.of(), "", Optional.empty(),
          diffIds);
    }
    if (!config.isObject()) {
      throw new IOException("config is not an object");
    }
    Map<String, String> environment = new LinkedHashMap<>();
    for (String entry : strings(config, "Env", "config.Env")) {
      int equals = entry.indexOf('=');
      environment.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode labelNode = config.path("Labels");
    if (present(labelNode)) {
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
    if (present(portNode)) {
      if (!portNode.isObject()) {
        throw new IOException("config.ExposedPorts is not an object");
      }
      portNode.fieldNames().forEachRemaining(ports::add);
    }
    Optional<List<String>> healthcheck = Optional.empty();
    JsonNode health = config.path("Healthcheck");
    if (present(health)) {
      if (!health.isObject()) {
        throw new IOException("config.Healthcheck is not an object");
      }
      healthcheck = Optional.of(strings(health, "Test", "config.Healthcheck.Test"));
    }
    return new ImageConfig(docker, architecture, os, text(config, "User", "config.User"), environment, labels,
        strings(config, "Entrypoint", "config.Entrypoint"), strings(config, "Cmd", "config.Cmd"), ports,
        text(config, "WorkingDir", "config.WorkingDir"), healthcheck, diffIds);
  }

  /** An image without layers may have no rootfs; {@link RemoteImage} compares the count with the manifest's layers. */
  private static List<String> diffIds(JsonNode root) throws IOException {
    JsonNode rootfs = root.path("rootfs");
    if (!present(rootfs)) {
      return List.of();
    }
    if (!rootfs.isObject()) {
      throw new IOException("rootfs is not an object");
    }
    List<String> diffIds = strings(rootfs, "diff_ids", "rootfs.diff_ids");
    for (String diffId : diffIds) {
      if (!DIGEST.matcher(diffId).matches()) {
        throw new IOException("rootfs.diff_ids holds " + diffId + ", which is not sha256:<64 hex>");
      }
    }
    return diffIds;
  }

  private static boolean present(JsonNode node) {
    return !node.isMissingNode() && !node.isNull();
  }

  private static String text(JsonNode parent, String field, String shown) throws IOException {
    JsonNode node = parent.path(field);
    if (!present(node)) {
      return "";
    }
    if (!node.isTextual()) {
      throw new IOException(shown + " is not a string");
    }
    return node.asText();
  }

  private static List<String> strings(JsonNode parent, String field, String shown) throws IOException {
    JsonNode node = parent.path(field);
    if (!present(node)) {
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
