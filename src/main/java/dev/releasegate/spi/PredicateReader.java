package dev.releasegate.spi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * How a stage's own signed predicate reads back for people: the facts and tables of its section in the
 * release report, and the checks a CI test view (JUnit XML) lists for it. The report and the JUnit view
 * ask the stage's factory for this, so they know nothing of any stage's predicate. The predicate comes
 * from a bundle that may be damaged: read it leniently (a missing field shows as empty), never throw.
 */
public interface PredicateReader {

  /** The facts, tables and lists of the stage's report section. */
  StageDetails details(JsonNode predicate);

  /**
   * One check per thing the predicate decided (a test, a finding, a lint or smoke check). An empty list
   * leaves the stage's decision as its only check; a failed stage whose checks all passed gets a failed
   * decision added, so a rejected release never looks green.
   */
  default List<StageCheck> checks(Outcome stage, JsonNode predicate) {
    return List.of();
  }

  /** What a check needs to know of its stage: where its artifacts are, and whether and why it failed. */
  record Outcome(String name, boolean failed, Optional<String> reason) {}
}
