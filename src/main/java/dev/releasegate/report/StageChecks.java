package dev.releasegate.report;

import dev.releasegate.base.FailureKind;
import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of one stage, as its own {@link PredicateReader} derives them from its predicate (tests,
 * blocking findings, lint and smoke checks); a stage without any becomes one check for its decision. A
 * failed stage always has at least one failed check, so that a CI test view never shows a rejected
 * release as green.
 */
public final class StageChecks {
  /** The name of the check that stands for a stage's decision. */
  public static final String DECISION = "decision";

  private StageChecks() {}

  public static List<StageCheck> of(StageView stage, StageReaders readers) {
    if (stage.skipped()) {
      return List.of(StageCheck.skipped(stage.name(), stage.entry().reason().orElse("skipped")));
    }
    List<StageCheck> checks = new ArrayList<>();
    Optional<PredicateReader> reader = readers.of(stage);
    if (reader.isPresent() && stage.predicate().isPresent()) {
      checks.addAll(reader.get().checks(new PredicateReader.Outcome(stage.name(), stage.failed(), stage.entry().reason()), stage.predicate().get()));
    }
    if (checks.isEmpty()) {
      checks.add(decision(stage));
    }
    boolean anyFailed = checks.stream().anyMatch(check -> check.status() == StageCheck.Status.FAILED);
    if (stage.failed() && !anyFailed) {
      checks.add(decision(stage));
    }
    return checks;
  }

  /** One check for what the stage decided: its status and reason. */
  static StageCheck decision(StageView stage) {
    String unreadable = stage.problem().map(problem -> " (statement unreadable: " + problem + ")").orElse("");
    if (stage.failed()) {
      String kind = stage.entry().failure().map(FailureKind::id).orElse("failed");
      return StageCheck.failed(DECISION, kind + ": " + stage.entry().reason().orElse("no reason recorded") + unreadable, whatToDo(stage));
    }
    if (stage.passed()) {
      return StageCheck.passed(DECISION, stage.entry().reason().orElse("passed") + unreadable);
    }
    return StageCheck.warned(DECISION, "status '" + stage.entry().status().id() + "'" + unreadable, Optional.empty());
  }

  /** What a reader does about a failed stage, by why it failed. */
  static String whatToDo(StageView stage) {
    return switch (stage.entry().failure().map(FailureKind::id).orElse("")) {
      case "rejected" -> "fix what stage '" + stage.name() + "' reports, then release again";
      case "invalid-input" -> "fix the project or the pipeline file as the reason says, then release again";
      case "environment" -> "the gate could not decide: fix the environment (tool, registry, runtime), then release again";
      case "interrupted" -> "the release was stopped during this stage: release again";
      default -> "see the reason and the stage's statement, then release again";
    };
  }
}
