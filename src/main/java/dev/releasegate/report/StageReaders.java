package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Messages;
import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageFactory;
import java.util.HashMap;
import java.util.List;
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
      factory.predicateReader().ifPresent(reader -> byType.put(factory.type(), new Reader(factory.predicateType(), guarded(reader))));
    }
    return new StageReaders(byType);
  }

  /**
   * A plug-in's reader that throws, or whose classes cannot be loaded, costs its own section, never the
   * report or the run's JUnit view: what it could not say is said as one warned check.
   */
  private static PredicateReader guarded(PredicateReader reader) {
    return new PredicateReader() {
      @Override
      public StageDetails details(JsonNode predicate) {
        try {
          return reader.details(predicate);
        } catch (RuntimeException | LinkageError e) {
          return new StageDetails(List.of(new StageDetails.Fact("Unreadable", failure(e))), List.of());
        }
      }

      @Override
      public List<StageCheck> checks(Outcome stage, JsonNode predicate) {
        try {
          return reader.checks(stage, predicate);
        } catch (RuntimeException | LinkageError e) {
          return List.of(StageCheck.warned("predicate", failure(e), Optional.empty()));
        }
      }
    };
  }

  private static String failure(Throwable e) {
    return "the stage type's reader failed: " + e.getClass().getSimpleName() + ": " + Messages.firstLine(e);
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
