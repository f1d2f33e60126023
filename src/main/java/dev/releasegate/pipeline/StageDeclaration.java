package dev.releasegate.pipeline;

import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a pipeline's {@code stages:}, validated against its factory.
 *
 * @param needs earlier stages that must pass before this one starts, beyond what its inputs imply
 * @param deadline how long the stage may run: the file's {@code timeoutMinutes}, else its type's default
 */
public record StageDeclaration(String name, StageFactory factory, StageOptions options, List<String> needs, Duration deadline) {

  public StageDeclaration {
    needs = List.copyOf(needs);
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("a stage's deadline must be positive: " + deadline);
    }
  }

  public StageDeclaration(String name, StageFactory factory, StageOptions options, List<String> needs) {
    this(name, factory, options, needs, Objects.requireNonNull(factory.deadline(options), "deadline"));
  }

  public StageDeclaration(String name, StageFactory factory, StageOptions options) {
    this(name, factory, options, List.of());
  }

  public String type() {
    return factory.type();
  }

  public StageKind kind() {
    return factory.kind();
  }
}
