package dev.releasegate.report;

import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How each stage type's predicate reads back, from the stage types on the class path: the report and the
 * JUnit view show a stage through its own {@link PredicateReader}, so they know no stage's predicate.
 */
public final class StageReaders {
  /** No stage's details: each stage shows its status and reason, and its decision is its only check. */
  public static final StageReaders NONE = new StageReaders(Map.of());

  private final Map<String, Reader> byType;

  private record Reader(String predicateType, PredicateReader reader) {}

  private StageReaders(Map<String, Reader> byType) {
    this.byType = Map.copyOf(byType);
  }

  public static StageReaders of(Iterable<? extends StageFactory> factories) {
    Map<String, Reader> byType = new HashMap<>();
    for (StageFactory factory : factories) {
      factory.predicateReader().ifPresent(reader -> byType.put(factory.type(), new Reader(factory.predicateType(), reader)));
    }
    return new StageReaders(byType);
  }

  /**
   * The reader of {@code stage}'s predicate: its type's reader, if the statement has that type's
   * predicate (a stage that could not decide has the runner's stage-error predicate instead).
   */
  Optional<PredicateReader> of(StageView stage) {
    return Optional.ofNullable(byType.get(stage.entry().type()))
        .filter(reader -> stage.entry().predicateType().filter(reader.predicateType()::equals).isPresent())
        .map(Reader::reader);
  }
}
