package dev.releasegate.stages.test;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Items;
import java.util.ArrayList;
import java.util.List;

/** The test-result predicate read back: counts and failed tests; one check per recorded test (failed first), then a summary. */
final class TestResultReader implements PredicateReader {
  /** Tests listed one by one; past this the summary counts the rest. */
  static final int MAX_TESTS = 2000;

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    JsonNode counts = predicate.path("counts");
    facts.add(new Fact("Result", predicate.path("result").asText()));
    facts.add(new Fact("Tests", counts.path("total").asLong() + " total: " + counts.path("passed").asLong() + " passed, "
        + counts.path("failed").asLong() + " failed, " + counts.path("skipped").asLong() + " skipped"));
    facts.add(new Fact("Reports", counts.path("reports").asLong() + " read, " + counts.path("staleReportsIgnored").asLong()
        + " stale ignored"));
    facts.add(new Fact("Exit code", exitCode(predicate)));
    List<String> failed = Json.texts(predicate.path("failedTests"));
    if (!failed.isEmpty()) {
      blocks.add(new Items("Failed tests", failed));
    }
    List<String> skipped = Json.texts(predicate.path("warnedTests"));
    if (!skipped.isEmpty()) {
      blocks.add(new Items("Skipped tests", skipped));
    }
    return new StageDetails(facts, blocks);
  }

  @Override
  public List<StageCheck> checks(Outcome stage, JsonNode predicate) {
    List<String> failed = Json.texts(predicate.path("failedTests"));
    String reports = "artifacts/" + stage.name() + "/reports/";
    List<StageCheck> checks = new ArrayList<>();
    for (String name : failed) {
      checks.add(StageCheck.failed(name, "failed", "make this test pass, then release again; its report is under " + reports));
    }
    Json.texts(predicate.path("warnedTests")).forEach(name -> checks.add(StageCheck.skipped(name, "skipped by the test run")));
    Json.texts(predicate.path("passedTests")).forEach(name -> checks.add(StageCheck.passed(name, "passed")));
    int listed = Math.min(checks.size(), MAX_TESTS);
    List<StageCheck> result = new ArrayList<>(checks.subList(0, listed));
    result.add(summary(stage, predicate, failed.size(), checks.size() - listed));
    return result;
  }

  private static StageCheck summary(Outcome stage, JsonNode predicate, int failedListed, int notListed) {
    JsonNode counts = predicate.path("counts");
    String text = counts.path("passed").asLong() + " passed, " + counts.path("failed").asLong() + " failed, "
        + counts.path("skipped").asLong() + " skipped in " + counts.path("reports").asLong() + " report(s); exit code "
        + exitCode(predicate) + (notListed > 0 ? "; " + notListed + " more tests not listed" : "");
    if (!stage.failed()) {
      return StageCheck.passed("summary", text);
    }
    String fix = failedListed > 0
        ? "fix the failed tests, then release again"
        : "make the test command succeed and write JUnit reports where 'reports' points; its output is artifacts/"
            + stage.name() + "/output.log";
    return StageCheck.failed("summary", stage.reason().orElse("tests failed") + "; " + text, fix);
  }

  /** The command's exit code, and whether it was stopped at its deadline. */
  static String exitCode(JsonNode predicate) {
    return predicate.path("exitCode").asText("?") + (predicate.path("timedOut").asBoolean() ? " (timed out)" : "");
  }
}
