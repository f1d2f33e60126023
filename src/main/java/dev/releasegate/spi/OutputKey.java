package dev.releasegate.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed name for something one stage hands to later ones, such as the built image. Two keys are the
 * same output when their names are equal.
 */
public final class OutputKey<T> {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  private final String name;
  private final Class<T> type;

  private OutputKey(String name, Class<T> type) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("output name must match " + NAME + ": " + name);
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
  }

  public static <T> OutputKey<T> of(String name, Class<T> type) {
    return new OutputKey<>(name, type);
  }

  public String name() {
    return name;
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OutputKey<?> key && key.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}
