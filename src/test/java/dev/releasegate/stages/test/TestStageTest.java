package dev.releasegate.stages.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.spi.StageResult;
import dev.releasegate.testing.FakeStageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test stage constructed directly, against a fake context: its decisions from exit codes and reports. */
class TestStageTest {
  private static final String PASSING = """
      <testsuite name="s" tests="2"><testcase classname="a.B" name="one"/><testcase classname="a.B" name="two"><skipped/></testcase></testsuite>
      """;
  private static final String FAILING = """
      <testsuite name="s" tests="1"><testcase classname="a.B" name="one"><failure message="boom"/></testcase></testsuite>
      """;

  @TempDir Path work;
  Path project;
  FakeStageContext context;

  @BeforeEach
  void project() throws IOException {
    project = Files.createDirectories(work.resolve("project"));
    context = new FakeStageContext(project, work.resolve("bundle")).stageName("test");
  }

  /** A test stage whose command writes {@code report} as this run's JUnit report, then exits {@code exit}. */
  private StageResult run(String report, int exit) throws Exception {
    Files.writeString(project.resolve("report.xml.in"), report);
    return FakeStageContext.stage(work.resolve("pipeline"),
        "{name: test, uses: test, with: {command: [sh, -c, \"mkdir -p target && cp report.xml.in target/TEST-a.xml && exit " + exit
            + "\"], reports: [target/TEST-*.xml]}}").run(context);
  }

  @Test
  void passesWhenTheCommandPassesAndItsReportsDoWithSkippedTestsAsWarnings() throws Exception {
    StageResult result = run(PASSING, 0);
    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    JsonNode predicate = result.predicate();
    assertEquals("WARNED", predicate.get("result").asText());
    assertEquals(2, predicate.at("/counts/total").asInt());
    assertEquals(1, predicate.at("/counts/skipped").asInt());
    assertEquals(1, predicate.at("/counts/reports").asInt());
    assertTrue(context.artifact("reports/target/TEST-a.xml").contains("name=\"one\""), "the report is kept as evidence");
  }

  @Test
  void aFailedTestRejectsEvenWhenTheCommandExitsZero() throws Exception {
    StageResult result = run(FAILING, 0);
    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("1 test failed although the command exited 0", result.summary());
  }

  @Test
  void aFailingCommandRejectsWithItsExitCodeAndItsFailedTests() throws Exception {
    StageResult result = run(FAILING, 3);
    assertEquals("test command exited with 3 (1 failed test)", result.summary());
    assertEquals(3, result.predicate().get("exitCode").asInt());
  }

  @Test
  void aReportLeftByAnEarlierBuildDoesNotCountAsThisRunsTests() throws Exception {
    Files.createDirectories(project.resolve("target"));
    Path stale = Files.writeString(project.resolve("target/TEST-old.xml"), PASSING);
    Files.setLastModifiedTime(stale, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    StageResult result = FakeStageContext.stage(work.resolve("pipeline"),
        "{name: test, uses: test, with: {command: [\"true\"], reports: [target/TEST-*.xml]}}").run(context);
    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("no test reports found for target/TEST-*.xml (1 stale report(s) from an earlier build ignored); the tests may not have run",
        result.summary());
  }

  @Test
  void anUnreadableReportRejectsNamingIt() throws Exception {
    StageResult result = run("<html>not junit</html>", 0);
    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertTrue(result.summary().startsWith("cannot read test report target/TEST-a.xml: "), result.summary());
  }

  @Test
  void theCommandsOutputIsLoggedRedactedAndKept() throws Exception {
    context.secret("TOKEN", "s3cr3t-value");
    StageResult result = FakeStageContext.stage(work.resolve("pipeline"),
        "{name: test, uses: test, with: {command: [sh, -c, \"echo running with s3cr3t-value\"]}}").run(context);
    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertTrue(context.logged().stream().anyMatch(line -> line.contains("running with ***")), context.logged().toString());
    assertTrue(context.logged().stream().noneMatch(line -> line.contains("s3cr3t-value")), context.logged().toString());
    assertTrue(context.artifact("output.log").contains("running with ***"), "the kept log is redacted too");
  }
}
