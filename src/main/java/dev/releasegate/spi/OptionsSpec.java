package dev.releasegate.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ordered set of options one stage type (or one object-list element) accepts. */
public final class OptionsSpec {
  public static final OptionsSpec NONE = new OptionsSpec(Map.of());

  private final Map<String, OptionSpec> options;

  private OptionsSpec(Map<String, OptionSpec> options) {
    this.options = options;
  }

  public static OptionsSpec of(OptionSpec... options) {
    Map<String, OptionSpec> byName = new LinkedHashMap<>();
    for (OptionSpec option : options) {
      if (byName.put(option.name(), option) != null) {
        throw new IllegalArgumentException("option declared twice: " + option.name());
      }
    }
    return new OptionsSpec(java.util.Collections.unmodifiableMap(byName));
  }

  public List<OptionSpec> all() {
    return List.copyOf(options.values());
  }

  public Optional<OptionSpec> find(String name) {
    return Optional.ofNullable(options.get(name));
  }
}
