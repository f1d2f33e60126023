package dev.releasegate.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated options of one stage, defaults applied. Values have the Java type of their
 * {@link OptionSpec.Kind}: {@code String}, {@code Long}, {@code Boolean}, {@code List<String>},
 * {@code Map<String, String>} or {@code List<StageOptions>}.
 */
public final class StageOptions {
  public static final StageOptions EMPTY = new StageOptions(Map.of());

  private final Map<String, Object> values;

  private StageOptions(Map<String, Object> values) {
    this.values = values;
  }

  /** Used by the pipeline validator, which has checked every value against its spec. */
  public static StageOptions of(Map<String, Object> values) {
    return new StageOptions(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public Optional<String> findString(String name) {
    return Optional.ofNullable((String) values.get(name));
  }

  public String string(String name) {
    return (String) present(name);
  }

  public long integer(String name) {
    return (Long) present(name);
  }

  public Optional<Long> findInteger(String name) {
    return Optional.ofNullable((Long) values.get(name));
  }

  public boolean bool(String name) {
    return (Boolean) present(name);
  }

  @SuppressWarnings("unchecked")
  public List<String> stringList(String name) {
    return (List<String>) values.getOrDefault(name, List.of());
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> stringMap(String name) {
    return (Map<String, String>) values.getOrDefault(name, Map.of());
  }

  @SuppressWarnings("unchecked")
  public List<StageOptions> objectList(String name) {
    return (List<StageOptions>) values.getOrDefault(name, List.of());
  }

  /** All values, for recording the effective configuration in evidence. */
  public Map<String, Object> asMap() {
    return values;
  }

  private Object present(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw new IllegalStateException("option '" + name + "' has no value and no default");
    }
    return value;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
