package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the built-in outputs of a passed stage into the signed record, and reads them back when a
 * run is resumed. An output of a plug-in's own type is written as {@code null}: it cannot be restored,
 * so a resumed run runs that stage again.
 */
final class OutputCodec {
  private OutputCodec() {}

  static ObjectNode encode(Map<OutputKey<?>, Object> outputs, Path bundleRoot) {
    ObjectNode node = Json.object();
    for (Map.Entry<OutputKey<?>, Object> output : outputs.entrySet()) {
      String name = output.getKey().name();
      Object value = output.getValue();
      if (output.getKey().equals(Outputs.IMAGE) && value instanceof ImageReference image) {
        node.putObject(name).put("repository", image.repository()).put("digest", image.digest());
      } else if (output.getKey().equals(Outputs.TAGS) && value instanceof List<?> tags) {
        ArrayNode list = node.putArray(name);
        tags.forEach(tag -> list.add(String.valueOf(tag)));
      } else if (output.getKey().equals(Outputs.SBOM) && value instanceof Path path) {
        Path root = bundleRoot.toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        // Inside the bundle the path is kept relative, so that the record stays true if the folder moves.
        node.put(name, absolute.startsWith(root) ? root.relativize(absolute).toString().replace('\\', '/') : absolute.toString());
      } else {
        node.putNull(name);
      }
    }
    return node;
  }

  /** The outputs, or empty when any of them cannot be restored. */
  static Optional<Map<OutputKey<?>, Object>> decode(ObjectNode node, Path bundleRoot) {
    Map<OutputKey<?>, Object> outputs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      try {
        if (field.getKey().equals(Outputs.IMAGE.name()) && value.isObject()) {
          outputs.put(Outputs.IMAGE, new ImageReference(value.path("repository").asText(), value.path("digest").asText()));
        } else if (field.getKey().equals(Outputs.TAGS.name()) && value.isArray()) {
          List<String> tags = new ArrayList<>();
          value.forEach(tag -> tags.add(tag.asText()));
          outputs.put(Outputs.TAGS, List.copyOf(tags));
        } else if (field.getKey().equals(Outputs.SBOM.name()) && value.isTextual()) {
          outputs.put(Outputs.SBOM, bundleRoot.toAbsolutePath().resolve(value.asText()).normalize());
        } else {
          return Optional.empty();
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.of(outputs);
  }
}
