package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.OutputKey;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the outputs of a passed stage into the signed record, each with its key's codec, and reads
 * them back when a run is resumed. An output whose key has no codec is written as {@code null}: it
 * cannot be restored, so a resumed run runs that stage again.
 */
final class RecordedOutputs {
  private RecordedOutputs() {}

  static ObjectNode encode(Map<OutputKey<?>, Object> outputs, Path bundleRoot) {
    ObjectNode node = Json.object();
    outputs.forEach((key, value) -> node.set(key.name(), encode(key, value, bundleRoot)));
    return node;
  }

  /** A codec that fails (a plug-in's) keeps nothing: the output is then one a resumed run cannot restore. */
  private static <T> JsonNode encode(OutputKey<T> key, Object value, Path bundleRoot) {
    try {
      return key.codec().<JsonNode>map(codec -> codec.encode(key.type().cast(value), bundleRoot)).orElse(NullNode.getInstance());
    } catch (RuntimeException e) {
      return NullNode.getInstance();
    }
  }

  /**
   * The outputs, or empty when any of them cannot be restored.
   *
   * @param keys what the stage declares it produces: the keys the record's names are read with
   */
  static Optional<Map<OutputKey<?>, Object>> decode(ObjectNode node, Path bundleRoot, Collection<OutputKey<?>> keys) {
    Map<OutputKey<?>, Object> outputs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      Optional<OutputKey<?>> key = keys.stream().filter(candidate -> candidate.name().equals(field.getKey())).findFirst();
      if (key.isEmpty() || key.get().codec().isEmpty() || field.getValue().isNull()) {
        return Optional.empty();
      }
      try {
        outputs.put(key.get(), key.get().codec().get().decode(field.getValue(), bundleRoot));
      } catch (RuntimeException e) {
        // What a codec cannot read back (or a plug-in's codec that fails) is not restored: the stage runs again.
        return Optional.empty();
      }
    }
    return Optional.of(outputs);
  }
}
