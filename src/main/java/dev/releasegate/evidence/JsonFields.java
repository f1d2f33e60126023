package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** Typed, strict access to the fields of a JSON object, with messages that name the field. */
final class JsonFields {
  private final JsonNode node;
  private final String what;

  JsonFields(JsonNode node, String what) throws IOException {
    if (node == null || !node.isObject()) {
      throw new IOException(what + ": expected a JSON object");
    }
    this.node = node;
    this.what = what;
  }

  String text(String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IOException(what + ": '" + field + "' must be a string");
    }
    return value.textValue();
  }

  Optional<String> optionalText(String field) throws IOException {
    return node.has(field) && !node.get(field).isNull() ? Optional.of(text(field)) : Optional.empty();
  }

  long number(String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || !value.isIntegralNumber()) {
      throw new IOException(what + ": '" + field + "' must be an integer");
    }
    return value.longValue();
  }

  boolean bool(String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isBoolean()) {
      throw new IOException(what + ": '" + field + "' must be true or false");
    }
    return value.booleanValue();
  }

  JsonNode array(String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new IOException(what + ": '" + field + "' must be an array");
    }
    return value;
  }

  JsonNode object(String field) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new IOException(what + ": '" + field + "' must be an object");
    }
    return value;
  }

  <E extends Enum<E>> E enumValue(String field, Class<E> type) throws IOException {
    String text = text(field);
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IOException(what + ": '" + field + "' has unknown value '" + text + "'");
    }
  }
}
