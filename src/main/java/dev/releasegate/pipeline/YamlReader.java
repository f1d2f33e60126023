package dev.releasegate.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into {@link YamlNode}s with positions. Jackson's tree model drops positions, so the tree
 * is built from the streaming parser.
 */
final class YamlReader {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  private YamlReader() {}

  /** Parses one document; syntax errors and duplicate keys land in {@code problems}. */
  static YamlNode read(byte[] content, ProblemList problems) {
    try (JsonParser parser = FACTORY.createParser(content)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        problems.add(YamlNode.Location.START, "the file is empty");
        return null;
      }
      YamlNode root = node(parser, problems);
      if (parser.nextToken() != null) {
        problems.add(location(parser.currentTokenLocation()), "only one YAML document is allowed");
      }
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      problems.add(where == null ? YamlNode.Location.START : location(where), "not valid YAML: " + problem(e));
      return null;
    } catch (IOException e) {
      problems.add(YamlNode.Location.START, "cannot read: " + e.getMessage());
      return null;
    }
  }

  private static YamlNode node(JsonParser parser, ProblemList problems) throws IOException {
    YamlNode.Location at = location(parser.currentTokenLocation());
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        List<YamlNode.Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          YamlNode.Location keyAt = location(parser.currentTokenLocation());
          parser.nextToken();
          YamlNode value = node(parser, problems);
          if (!seen.add(key)) {
            problems.add(keyAt, "duplicate key '" + key + "'");
          } else {
            entries.add(new YamlNode.Entry(key, keyAt, value));
          }
        }
        return new YamlNode.Mapping(List.copyOf(entries), at);
      case START_ARRAY:
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(node(parser, problems));
        }
        return new YamlNode.Sequence(List.copyOf(items), at);
      case VALUE_STRING:
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.STRING, at);
      case VALUE_NUMBER_INT:
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.INTEGER, at);
      case VALUE_NUMBER_FLOAT:
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.FLOAT, at);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new YamlNode.Scalar(parser.getText(), YamlNode.ScalarType.BOOLEAN, at);
      case VALUE_NULL:
        return new YamlNode.Scalar("", YamlNode.ScalarType.NULL, at);
      default:
        throw new JsonProcessingException("unexpected " + token, parser.currentTokenLocation()) {
          private static final long serialVersionUID = 1L;
        };
    }
  }

  /** SnakeYAML's own one-line complaint ("expected ',' or ']', …"), without its context and caret lines. */
  private static String problem(JsonProcessingException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException marked && marked.getProblem() != null) {
        return marked.getProblem();
      }
    }
    String message = e.getOriginalMessage();
    return message == null ? "syntax error" : message.strip().lines().findFirst().orElse("syntax error");
  }

  private static YamlNode.Location location(JsonLocation where) {
    return new YamlNode.Location(Math.max(1, where.getLineNr()), Math.max(1, where.getColumnNr()));
  }
}
