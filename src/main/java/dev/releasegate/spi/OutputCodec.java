package dev.releasegate.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.releasegate.base.ImageReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How an output is written into the signed run record and read back when a run is resumed, so that a
 * stage reused by {@code --resume} hands later stages what it handed them the first time. An output
 * without a codec cannot be restored: its stage runs again.
 *
 * @param <T> the output's type
 */
public interface OutputCodec<T> {

  /**
   * The output as JSON.
   *
   * @param bundleRoot the evidence folder, for outputs that are files inside it
   */
  JsonNode encode(T value, Path bundleRoot);

  /**
   * The output again.
   *
   * @throws IllegalArgumentException when the JSON is not one this codec wrote
   */
  T decode(JsonNode json, Path bundleRoot);

  /** A string. */
  static OutputCodec<String> string() {
    return new OutputCodec<>() {
      @Override
      public JsonNode encode(String value, Path bundleRoot) {
        return TextNode.valueOf(value);
      }

      @Override
      public String decode(JsonNode json, Path bundleRoot) {
        if (!json.isTextual()) {
          throw new IllegalArgumentException("not a string: " + json);
        }
        return json.textValue();
      }
    };
  }

  /** A list of strings, e.g. tags. */
  static OutputCodec<List<String>> strings() {
    return new OutputCodec<>() {
      @Override
      public JsonNode encode(List<String> value, Path bundleRoot) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        value.forEach(list::add);
        return list;
      }

      @Override
      public List<String> decode(JsonNode json, Path bundleRoot) {
        if (!json.isArray()) {
          throw new IllegalArgumentException("not a list: " + json);
        }
        List<String> values = new ArrayList<>();
        json.forEach(value -> values.add(string().decode(value, bundleRoot)));
        return List.copyOf(values);
      }
    };
  }

  /** An image pinned by digest. */
  static OutputCodec<ImageReference> image() {
    return new OutputCodec<>() {
      @Override
      public JsonNode encode(ImageReference value, Path bundleRoot) {
        return JsonNodeFactory.instance.objectNode().put("repository", value.repository()).put("digest", value.digest());
      }

      @Override
      public ImageReference decode(JsonNode json, Path bundleRoot) {
        return new ImageReference(json.path("repository").asText(""), json.path("digest").asText(""));
      }
    };
  }

  /**
   * A file. Inside the evidence folder it is recorded relative to it, so that the record stays true if
   * the folder moves; elsewhere, absolute.
   */
  static OutputCodec<Path> file() {
    return new OutputCodec<>() {
      @Override
      public JsonNode encode(Path value, Path bundleRoot) {
        Path root = bundleRoot.toAbsolutePath().normalize();
        Path absolute = value.toAbsolutePath().normalize();
        return TextNode.valueOf(absolute.startsWith(root) ? root.relativize(absolute).toString().replace('\\', '/') : absolute.toString());
      }

      @Override
      public Path decode(JsonNode json, Path bundleRoot) {
        return bundleRoot.toAbsolutePath().resolve(string().decode(json, bundleRoot)).normalize();
      }
    };
  }
}
