package dev.releasegate.stages.cyclonedx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.evidence.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The parts of an OCI (or Docker v2.2) image config the SBOM uses.
 *
 * @param workingDir empty when the config sets none
 * @param labels sorted by key
 * @param diffIds {@code rootfs.diff_ids}: the sha256 of each uncompressed layer, in layer order
 */
record ImageConfig(String architecture, String os, String workingDir, List<String> entrypoint,
    Map<String, String> labels, List<String> diffIds) {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  static ImageConfig parse(byte[] bytes) throws IOException {
    JsonNode root = Json.parse(bytes);
    if (!root.isObject()) {
      throw new IOException("the image config is not a JSON object");
    }
    JsonNode config = root.path("config");
    Map<String, String> labels = new TreeMap<>();
    config.path("Labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asText()));
    List<String> entrypoint = new ArrayList<>();
    config.path("Entrypoint").forEach(argument -> entrypoint.add(argument.asText()));
    JsonNode ids = root.path("rootfs").path("diff_ids");
    if (!ids.isArray()) {
      throw new IOException("the image config has no rootfs.diff_ids");
    }
    List<String> diffIds = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!DIGEST.matcher(id.asText()).matches()) {
        throw new IOException("the image config has a diff_id that is not sha256:<64 hex>: " + id);
      }
      diffIds.add(id.asText());
    }
    return new ImageConfig(root.path("architecture").asText(""), root.path("os").asText(""),
        config.path("WorkingDir").asText(""), List.copyOf(entrypoint), Map.copyOf(labels), List.copyOf(diffIds));
  }

  /** The labels in key order. */
  @Override
  public Map<String, String> labels() {
    return new TreeMap<>(labels);
  }
}
