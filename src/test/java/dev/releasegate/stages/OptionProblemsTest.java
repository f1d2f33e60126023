package dev.releasegate.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.push.PushStageFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One reader serves a factory's check, which reports every problem, and its create, which refuses options that failed it. */
class OptionProblemsTest {

  @Test
  void aRecordIsMadeOnlyWhenNothingWasReported() {
    List<String> reported = new ArrayList<>();
    OptionProblems problems = new OptionProblems((path, message) -> reported.add(path + ": " + message));
    assertEquals(Optional.of("made"), problems.result(() -> "made"));
    problems.report("tags[1]", "a tag must not be empty");
    assertEquals(Optional.empty(), problems.result(() -> "made"));
    assertEquals(List.of("tags[1]: a tag must not be empty"), reported);
  }

  @Test
  void relativeGlobsReportsEachGlobThatLeavesTheProject() {
    List<String> reported = new ArrayList<>();
    OptionProblems.relativeGlobs(List.of("target/*.xml", "/etc/*", "../x"), "reports", "report",
        (path, message) -> reported.add(path + ": " + message));
    assertEquals(List.of("reports[1]: report pattern must be relative to the project and stay inside it",
        "reports[2]: report pattern must be relative to the project and stay inside it"), reported);
  }

  @Test
  void createRefusesOptionsThatFailedCheckNamingEveryProblem() {
    StageOptions options = StageOptions.of(Map.of("tags", List.of("", "{branch}"), "lockTimeoutSeconds", 120L));
    List<String> reported = new ArrayList<>();
    new PushStageFactory().check(options, (path, message) -> reported.add(path + ": " + message));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PushStageFactory().create(options));
    assertEquals("options that did not pass check: " + String.join("; ", reported), e.getMessage());
    assertEquals(2, reported.size(), reported.toString());
  }
}
