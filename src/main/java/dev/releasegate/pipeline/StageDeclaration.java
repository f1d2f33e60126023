package dev.releasegate.pipeline;

import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import java.util.List;

/**
 * One entry of a pipeline's {@code stages:}, validated against its factory.
 *
 * @param needs earlier stages that must pass before this one starts, beyond what its inputs imply
 */
public record StageDeclaration(String name, StageFactory factory, StageOptions options, List<String> needs) {

  public StageDeclaration {
    needs = List.copyOf(needs);
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
