package dev.releasegate.spi;

import java.util.Objects;

/**
 * The parts of a {@link StageFactory} that are plain values. Extend it, pass them to the constructor,
 * and implement {@link #create} (plus {@link #requires}, {@link #produces}, {@link #usesWorkTree} and
 * {@link #check} where the stage needs them). The subclass keeps a public no-argument constructor for {@link java.util.ServiceLoader}.
 */
public abstract class BaseStageFactory implements StageFactory {
  private final String type;
  private final StageKind kind;
  private final String description;
  private final String predicateType;
  private final OptionSchema options;

  protected BaseStageFactory(String type, StageKind kind, String description, String predicateType, OptionSchema options) {
    this.type = Objects.requireNonNull(type, "type");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.description = Objects.requireNonNull(description, "description");
    this.predicateType = Objects.requireNonNull(predicateType, "predicateType");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final StageKind kind() {
    return kind;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final String predicateType() {
    return predicateType;
  }

  @Override
  public final OptionSchema options() {
    return options;
  }
}
