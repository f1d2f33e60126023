package dev.releasegate.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The secrets a run holds, so that none of them leaves: they are cut from the environment of every
 * subprocess and replaced by {@code ***} in every line that is shown or recorded.
 */
final class Secrets {
  /** Variables releasegate itself reads; a stage's subprocess has no business with them. */
  static final List<String> VARIABLES =
      List.of("COSIGN_PASSWORD", "RELEASEGATE_REGISTRY_PASSWORD", "ACTIONS_ID_TOKEN_REQUEST_TOKEN");

  private final Map<String, String> environment;
  private final Set<String> values = new CopyOnWriteArraySet<>();

  Secrets(Map<String, String> environment) {
    this.environment = environment;
    VARIABLES.forEach(this::read);
  }

  /** Reads a secret variable and remembers its value for redaction. */
  String read(String variable) {
    String value = environment.get(variable);
    if (value != null && !value.isEmpty()) {
      values.add(value);
    }
    return value;
  }

  void add(String value) {
    if (value != null && !value.isEmpty()) {
      values.add(value);
    }
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String value : values) {
      result = result.replace(value, "***");
    }
    return result;
  }

  Map<String, String> subprocessEnvironment() {
    Map<String, String> copy = new HashMap<>(environment);
    VARIABLES.forEach(copy::remove);
    return Map.copyOf(copy);
  }
}
