package dev.releasegate.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One option a stage accepts under {@code with:}. Immutable; the builder-style methods return copies.
 * The same declaration drives validation, defaults and the pipeline JSON Schema.
 */
public final class OptionSpec {
  private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");

  /** The value shapes a pipeline file can express. */
  public enum Kind {
    STRING,
    INTEGER,
    BOOLEAN,
    STRING_LIST,
    /** A program and its arguments, run without a shell: a list whose first element names the program. */
    COMMAND,
    STRING_MAP,
    /** A list of objects whose fields are themselves options; see {@link #fields()}. */
    OBJECT_LIST
  }

  private final String name;
  private final Kind kind;
  private final String description;
  private final boolean required;
  private final Object defaultValue;
  private final List<String> allowedValues;
  private final long min;
  private final long max;
  private final OptionSchema fields;
  private final String shorthandField;

  private OptionSpec(
      String name,
      Kind kind,
      String description,
      boolean required,
      Object defaultValue,
      List<String> allowedValues,
      long min,
      long max,
      OptionSchema fields,
      String shorthandField) {
    this.name = name;
    this.kind = kind;
    this.description = description;
    this.required = required;
    this.defaultValue = defaultValue;
    this.allowedValues = allowedValues;
    this.min = min;
    this.max = max;
    this.fields = fields;
    this.shorthandField = shorthandField;
  }

  private static OptionSpec of(String name, Kind kind, String description) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("option name must be lowerCamelCase: " + name);
    }
    Objects.requireNonNull(description, "description");
    return new OptionSpec(
        name, kind, description, false, null, List.of(), Long.MIN_VALUE, Long.MAX_VALUE, null, null);
  }

  public static OptionSpec string(String name, String description) {
    return of(name, Kind.STRING, description);
  }

  public static OptionSpec integer(String name, String description) {
    return of(name, Kind.INTEGER, description);
  }

  public static OptionSpec bool(String name, String description) {
    return of(name, Kind.BOOLEAN, description);
  }

  public static OptionSpec stringList(String name, String description) {
    return of(name, Kind.STRING_LIST, description);
  }

  /** Read with {@link StageOptions#stringList}; never empty, and its first element is never empty. */
  public static OptionSpec command(String name, String description) {
    return of(name, Kind.COMMAND, description);
  }

  public static OptionSpec stringMap(String name, String description) {
    return of(name, Kind.STRING_MAP, description);
  }

  /**
   * A list of objects. When {@code shorthandField} is not null, a plain string element stands for an
   * object with only that field set (so {@code probes: [/healthz]} means {@code [{path: /healthz}]}).
   */
  public static OptionSpec objectList(
      String name, String description, OptionSchema fields, String shorthandField) {
    OptionSpec spec = of(name, Kind.OBJECT_LIST, description);
    Objects.requireNonNull(fields, "fields");
    if (shorthandField != null && fields.find(shorthandField).map(OptionSpec::kind).orElse(null) != Kind.STRING) {
      throw new IllegalArgumentException("shorthand field must be a string option: " + shorthandField);
    }
    return new OptionSpec(
        spec.name, spec.kind, spec.description, false, null, List.of(), spec.min, spec.max, fields,
        shorthandField);
  }

  public OptionSpec required() {
    if (defaultValue != null) {
      throw new IllegalStateException(name + ": a required option has no default");
    }
    return new OptionSpec(
        name, kind, description, true, null, allowedValues, min, max, fields, shorthandField);
  }

  /** The value used when the option is absent; checked against this option's own rules. */
  public OptionSpec defaultValue(Object value) {
    if (required) {
      throw new IllegalStateException(name + ": a required option has no default");
    }
    Object normalized = normalizeDefault(value);
    return new OptionSpec(
        name, kind, description, false, normalized, allowedValues, min, max, fields, shorthandField);
  }

  /** Restricts a string, or each element of a string list, to these values. */
  public OptionSpec allowed(String... values) {
    if (kind != Kind.STRING && kind != Kind.STRING_LIST) {
      throw new IllegalStateException(name + ": allowed values apply to strings");
    }
    return new OptionSpec(
        name, kind, description, required, defaultValue, List.of(values), min, max, fields,
        shorthandField);
  }

  public OptionSpec range(long min, long max) {
    if (kind != Kind.INTEGER || min > max) {
      throw new IllegalStateException(name + ": range applies to integers, min <= max");
    }
    return new OptionSpec(
        name, kind, description, required, defaultValue, allowedValues, min, max, fields,
        shorthandField);
  }

  private Object normalizeDefault(Object value) {
    Objects.requireNonNull(value, "default value");
    switch (kind) {
      case STRING:
        if (value instanceof String text && (allowedValues.isEmpty() || allowedValues.contains(text))) {
          return text;
        }
        break;
      case INTEGER:
        if (value instanceof Integer || value instanceof Long) {
          long number = ((Number) value).longValue();
          if (number >= min && number <= max) {
            return number;
          }
        }
        break;
      case BOOLEAN:
        if (value instanceof Boolean) {
          return value;
        }
        break;
      case STRING_LIST:
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
          return List.copyOf(list);
        }
        break;
      case COMMAND:
        if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(String.class::isInstance)
            && !((String) list.get(0)).isEmpty()) {
          return List.copyOf(list);
        }
        break;
      case STRING_MAP:
        if (value instanceof java.util.Map<?, ?> map) {
          return java.util.Map.copyOf(map);
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(name + ": default " + value + " does not fit " + kind);
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public String description() {
    return description;
  }

  public boolean isRequired() {
    return required;
  }

  public Optional<Object> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public List<String> allowedValues() {
    return allowedValues;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  /** The fields of each element of an {@link Kind#OBJECT_LIST}; empty for other kinds. */
  public OptionSchema fields() {
    return fields == null ? OptionSchema.NONE : fields;
  }

  public Optional<String> shorthandField() {
    return Optional.ofNullable(shorthandField);
  }
}
