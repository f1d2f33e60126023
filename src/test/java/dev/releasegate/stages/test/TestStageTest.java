package dev.releasegate.stages.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageResult;
import dev.releasegate.testing.FakeStageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
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

  /** A test stage that is the whole build: it compiles into target/classes and copies a jar into target/dependency. */
  private Stage buildingStage() throws Exception {
    Files.writeString(project.resolve("report.xml.in"), PASSING);
    return FakeStageContext.stage(work.resolve("pipeline"), "{name: test, uses: test, with: {build: true, reports: [target/TEST-*.xml],"
        + " command: [sh, -c, \"mkdir -p target/classes/a target/dependency && cp report.xml.in target/TEST-a.xml"
        + " && echo class > target/classes/a/B.class && echo jar > target/dependency/lib-1.jar\"]}}");
  }

  @Test
  void asTheWholeBuildItHandsOnTheClassesAndOnlyTheJarsThisBuildCopied() throws Exception {
    Path dependencies = Files.createDirectories(project.resolve("target/dependency"));
    Files.writeString(dependencies.resolve("dropped-0.9.jar"), "a dependency an earlier build copied");

    StageResult result = buildingStage().run(context);

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    BuildOutputs built = (BuildOutputs) result.outputs().get(Outputs.BUILD);
    assertEquals(project.resolve("target/classes").toAbsolutePath().normalize(), built.classes().toAbsolutePath().normalize());
    assertEquals(List.of("lib-1.jar"), built.runtimeJars().stream().map(jar -> jar.getFileName().toString()).toList(),
        "the jar of a dropped dependency must not reach the image");
    assertTrue(!built.startedAt().isAfter(Instant.now()), built.toString());
  }

  @Test
  void aClassAnEarlierBuildLeftIsRefusedNotPutIntoTheImage() throws Exception {
    Path stale = Files.createDirectories(project.resolve("target/classes/old")).resolve("Deleted.class");
    Files.writeString(stale, "compiled from a source that no longer exists");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> buildingStage().run(context));

    assertEquals("the build did not write target/classes/old/Deleted.class in target/classes: an earlier build left them;"
        + " build from clean (e.g. mvn -B clean verify) so that the image holds only what this run built", e.getMessage());
  }

  @Test
  void aRejectedBuildHandsNothingOn() throws Exception {
    Files.writeString(project.resolve("report.xml.in"), FAILING);
    StageResult result = FakeStageContext.stage(work.resolve("pipeline"), "{name: test, uses: test, with: {build: true,"
        + " reports: [target/TEST-*.xml], command: [sh, -c, \"mkdir -p target/classes && cp report.xml.in target/TEST-a.xml\"]}}").run(context);

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals(null, result.outputs().get(Outputs.BUILD));
  }

  @Test
  void whenTheBuildThatRunsTheReleaseRanTheTestsItRunsNothingAndReadsOnlyThatBuildsReports() throws Exception {
    Path reports = Files.createDirectories(project.resolve("target"));
    Files.writeString(reports.resolve("TEST-old.xml"), FAILING);
    Files.setLastModifiedTime(reports.resolve("TEST-old.xml"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Files.writeString(reports.resolve("TEST-a.xml"), PASSING);
    BuildOutputs built = new BuildOutputs(Instant.now().minusSeconds(30), project.resolve("target/classes"), List.of()).ofTheCaller();
    context.output(Outputs.BUILD, built);

    StageResult result = FakeStageContext.stage(work.resolve("pipeline"),
        "{name: test, uses: test, with: {command: [sh, -c, \"touch ran && exit 1\"], reports: [target/TEST-*.xml]}}").run(context);

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertTrue(Files.notExists(project.resolve("ran")), "the command must not run: that build ran it");
    assertEquals(1, result.predicate().at("/counts/reports").asInt());
    assertEquals(1, result.predicate().at("/counts/staleReportsIgnored").asInt());
    assertTrue(context.artifact("output.log").contains("only its reports are read"));
    assertEquals(built, result.outputs().get(Outputs.BUILD));
  }

  @Test
  void aTestThatFailedInTheBuildThatRunsTheReleaseRejectsItAndHandsNothingOn() throws Exception {
    Files.createDirectories(project.resolve("target"));
    Files.writeString(project.resolve("target/TEST-a.xml"), FAILING);
    context.output(Outputs.BUILD, new BuildOutputs(Instant.now().minusSeconds(30), project.resolve("target/classes"), List.of()).ofTheCaller());

    StageResult result = FakeStageContext.stage(work.resolve("pipeline"),
        "{name: test, uses: test, with: {command: [\"true\"], reports: [target/TEST-*.xml]}}").run(context);

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("1 test failed in the build that runs this release", result.summary());
    assertEquals(null, result.outputs().get(Outputs.BUILD));
  }

  @Test
  void afterAStagesOwnBuildALaterTestStageStillRunsItsCommand() throws Exception {
    Files.writeString(project.resolve("report.xml.in"), PASSING);
    context.output(Outputs.BUILD, new BuildOutputs(Instant.now().minusSeconds(30), project.resolve("target/classes"), List.of()));

    StageResult result = FakeStageContext.stage(work.resolve("pipeline"), "{name: it, uses: test, with: {reports: [target/TEST-*.xml],"
        + " command: [sh, -c, \"touch ran && mkdir -p target && cp report.xml.in target/TEST-it.xml\"]}}").run(context);

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertTrue(Files.exists(project.resolve("ran")), "an integration test stage after the build must run its tests, not read old reports");
  }

  @Test
  void withTheCallersBuildAndNoReportsToReadItRefusesToPassUndecided() {
    context.output(Outputs.BUILD, new BuildOutputs(Instant.now(), project.resolve("target/classes"), List.of()).ofTheCaller());

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> FakeStageContext.stage(work.resolve("pipeline"), "{name: test, uses: test, with: {command: [\"true\"]}}").run(context));

    assertEquals("the build that runs this release ran the tests, and this stage runs no command;"
        + " name their reports with 'reports' (e.g. target/surefire-reports/*.xml) so that it can decide", e.getMessage());
  }
}
