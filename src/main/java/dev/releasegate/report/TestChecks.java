package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.report.BundleView.StageView;
import java.util.ArrayList;
import java.util.List;

/** The test stage: one check per recorded test (failed first), then a summary check for the gate. */
final class TestChecks {
  /** Tests listed one by one; past this the summary counts the rest. */
  static final int MAX_TESTS = 2000;

  private TestChecks() {}

  static List<Check> of(StageView stage, JsonNode predicate) {
    List<String> failed = BundleView.texts(predicate.path("failedTests"));
    List<String> skipped = BundleView.texts(predicate.path("warnedTests"));
    List<String> passed = BundleView.texts(predicate.path("passedTests"));
    String reports = "artifacts/" + stage.name() + "/reports/";
    List<Check> checks = new ArrayList<>();
    for (String name : failed) {
      checks.add(Check.failed(name, "failed", "make this test pass, then release again; its report is under " + reports));
    }
    skipped.forEach(name -> checks.add(Check.skipped(name, "skipped by the test run")));
    passed.forEach(name -> checks.add(Check.passed(name, "passed")));
    int listed = Math.min(checks.size(), MAX_TESTS);
    List<Check> result = new ArrayList<>(checks.subList(0, listed));
    result.add(summary(stage, predicate, failed.size(), checks.size() - listed));
    return result;
  }

  private static Check summary(StageView stage, JsonNode predicate, int failedListed, int notListed) {
    JsonNode counts = predicate.path("counts");
    String text = counts.path("passed").asLong() + " passed, " + counts.path("failed").asLong() + " failed, "
        + counts.path("skipped").asLong() + " skipped in " + counts.path("reports").asLong() + " report(s); exit code "
        + predicate.path("exitCode").asText("?") + (predicate.path("timedOut").asBoolean() ? " (timed out)" : "")
        + (notListed > 0 ? "; " + notListed + " more tests not listed" : "");
    if (!stage.failed()) {
      return Check.passed("summary", text);
    }
    String fix = failedListed > 0
        ? "fix the failed tests, then release again"
        : "make the test command succeed and write JUnit reports where 'reports' points; its output is artifacts/"
            + stage.name() + "/output.log";
    return Check.failed("summary", stage.reason().orElse("tests failed") + "; " + text, fix);
  }
}
