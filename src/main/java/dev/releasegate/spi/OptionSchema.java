package dev.releasegate.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordered set of options one stage type (or one object-list element) accepts. */
public final class OptionSchema {
  public static final OptionSchema NONE = new OptionSchema(Map.of());

  private final Map<String, OptionSpec> options;

  private OptionSchema(Map<String, OptionSpec> options) {
    this.options = options;
  }

  public static OptionSchema of(OptionSpec... options) {
    Map<String, OptionSpec> byName = new LinkedHashMap<>();
    for (OptionSpec option : options) {
      if (byName.put(option.name(), option) != null) {
        throw new IllegalArgumentException("option declared twice: " + option.name());
      }
    }
    return new OptionSchema(java.util.Collections.unmodifiableMap(byName));
  }

  public List<OptionSpec> all() {
    return List.copyOf(options.values());
  }

  public Optional<OptionSpec> find(String name) {
    return Optional.ofNullable(options.get(name));
  }
}
