package dev.releasegate.pipeline;

import java.util.List;
import java.util.Optional;

/** A YAML value that remembers where it was written, so that problems can point at it. */
sealed interface YamlNode {

  Location location();

  /** What a value is, in words for messages: "a string", "a list", … */
  String describe();

  /** 1-based line and column. */
  record Location(int line, int column) implements Comparable<Location> {
    static final Location START = new Location(1, 1);

    @Override
    public int compareTo(Location other) {
      return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
    }
  }

  enum ScalarType {
    STRING("a string"),
    INTEGER("an integer"),
    FLOAT("a number"),
    BOOLEAN("a boolean"),
    NULL("an empty value");

    final String words;

    ScalarType(String words) {
      this.words = words;
    }
  }

  record Scalar(String text, ScalarType type, Location location) implements YamlNode {
    @Override
    public String describe() {
      return type.words;
    }
  }

  record Sequence(List<YamlNode> items, Location location) implements YamlNode {
    @Override
    public String describe() {
      return "a list";
    }
  }

  record Mapping(List<Entry> entries, Location location) implements YamlNode {
    @Override
    public String describe() {
      return "a mapping";
    }

    Optional<Entry> find(String key) {
      return entries.stream().filter(entry -> entry.key().equals(key)).findFirst();
    }
  }

  record Entry(String key, Location keyLocation, YamlNode value) {}
}
