package dev.releasegate.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A typed name for something one stage hands to later ones, such as the built image. Two keys are the
 * same output when their names are equal.
 */
public final class OutputKey<T> {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  private final String name;
  private final Class<T> type;
  private final Optional<OutputCodec<T>> codec;

  private OutputKey(String name, Class<T> type, Optional<OutputCodec<T>> codec) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("output name must match " + NAME + ": " + name);
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** An output that lives only as long as its run: {@code --resume} runs its stage again. */
  public static <T> OutputKey<T> of(String name, Class<T> type) {
    return new OutputKey<>(name, type, Optional.empty());
  }

  /** An output the run record keeps with this codec, so that {@code --resume} can reuse its stage. */
  public static <T> OutputKey<T> of(String name, Class<T> type, OutputCodec<T> codec) {
    return new OutputKey<>(name, type, Optional.of(codec));
  }

  /** How the run record keeps this output; empty when it cannot be kept. */
  public Optional<OutputCodec<T>> codec() {
    return codec;
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
