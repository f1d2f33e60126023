package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.report.BundleView.StageView;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of one stage, derived from its statement's predicate by predicate type: tests, blocking
 * findings, lint checks and smoke checks each become one check; any other stage becomes one check for
 * its decision. A failed stage always has at least one failed check, so that a CI test view never
 * shows a rejected release as green.
 */
public final class StageChecks {
  /** The name of the check that stands for a stage's decision. */
  public static final String DECISION = "decision";

  private StageChecks() {}

  public static List<Check> of(StageView stage) {
    if (stage.skipped()) {
      return List.of(Check.skipped(stage.name(), stage.reason().orElse("skipped")));
    }
    List<Check> checks = new ArrayList<>();
    if (stage.predicate().isPresent()) {
      JsonNode predicate = stage.predicate().get();
      switch (stage.predicateType().orElse("")) {
        case PredicateTypes.TEST -> checks.addAll(TestChecks.of(stage, predicate));
        case PredicateTypes.VULNERABILITIES -> checks.addAll(ScanChecks.of(stage, predicate));
        case PredicateTypes.READINESS -> checks.addAll(LintChecks.of(predicate));
        case PredicateTypes.SMOKE -> checks.addAll(SmokeChecks.of(stage, predicate));
        default -> checks.add(decision(stage));
      }
    } else {
      checks.add(decision(stage));
    }
    boolean anyFailed = checks.stream().anyMatch(check -> check.status() == Check.Status.FAILED);
    if (stage.failed() && !anyFailed) {
      checks.add(decision(stage));
    }
    return checks;
  }

  /** One check for what the stage decided: its status and reason. */
  static Check decision(StageView stage) {
    String unreadable = stage.problem().map(problem -> " (statement unreadable: " + problem + ")").orElse("");
    if (stage.failed()) {
      String kind = stage.failure().orElse("failed");
      return Check.failed(DECISION, kind + ": " + stage.reason().orElse("no reason recorded") + unreadable, whatToDo(stage));
    }
    if (stage.passed()) {
      return Check.passed(DECISION, stage.reason().orElse("passed") + unreadable);
    }
    return Check.warned(DECISION, "status '" + stage.status() + "'" + unreadable, java.util.Optional.empty());
  }

  /** What a reader does about a failed stage, by why it failed. */
  static String whatToDo(StageView stage) {
    return switch (stage.failure().orElse("")) {
      case "rejected" -> "fix what stage '" + stage.name() + "' reports, then release again";
      case "invalid-input" -> "fix the project or the pipeline file as the reason says, then release again";
      case "environment" -> "the gate could not decide: fix the environment (tool, registry, runtime), then release again";
      case "interrupted" -> "the release was stopped during this stage: release again";
      default -> "see the reason and the stage's statement, then release again";
    };
  }
}
