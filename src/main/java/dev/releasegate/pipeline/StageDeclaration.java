package dev.releasegate.pipeline;

import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageOptions;

/** One entry of a pipeline's {@code stages:}, validated against its factory. */
public record StageDeclaration(String name, StageFactory factory, StageOptions options) {

  public String type() {
    return factory.type();
  }
}
