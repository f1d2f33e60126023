package dev.releasegate.stages.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test stage against the real example service and its real unit tests, through the CLI. */
class TestStageIT {
  @TempDir static Path shared;
  static Path signer;

  @TempDir Path work;

  @BeforeAll
  static void key() {
    signer = TestKeys.write(shared, "signer");
  }

  private Path pipeline(String command, String reports) throws IOException {
    Path file = work.resolve("pipeline.yaml");
    Files.writeString(file, "apiVersion: releasegate/v1\nstages:\n  - name: test\n    uses: test\n    with:\n      command: "
        + command + "\n      reports: [\"" + reports + "\"]\n");
    return file;
  }

  private Cli.Result release(Path project, Path pipeline, Path evidence) {
    return Cli.run(work, "release", "--project", project.toString(), "--pipeline", pipeline.toString(),
        "--key", TestKeys.key(signer).toString(), "--version", "1.0.0", "--evidence", evidence.toString());
  }

  private static JsonNode statement(Path evidence) throws IOException {
    return Json.parse(DsseEnvelope.parse(Files.readAllBytes(evidence.resolve("statements/01-test.dsse.json"))).payload());
  }

  @Test
  void passingTestsReleaseAndVerify() throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Path evidence = work.resolve("evidence");
    Cli.Result result = release(project, pipeline("[mvn, -B, test]", "target/surefire-reports/*.xml"), evidence);
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("test │ [INFO] Tests run:"), "the command's output is streamed, prefixed");

    JsonNode statement = statement(evidence);
    assertEquals("https://in-toto.io/attestation/test-result/v0.1", statement.get("predicateType").asText());
    assertEquals("PASSED", statement.at("/predicate/result").asText());
    assertTrue(statement.at("/predicate/passedTests").size() > 20, statement.toString());
    assertTrue(statement.at("/predicate/passedTests").toString().contains("dev.releasegate.examples.hello.ConfigTest#"));
    assertEquals(0, statement.at("/predicate/failedTests").size());
    assertTrue(Files.exists(evidence.resolve("artifacts/test/reports/target/surefire-reports/TEST-dev.releasegate.examples.hello.ConfigTest.xml")));
    assertTrue(Files.readString(evidence.resolve("artifacts/test/output.log")).contains("BUILD SUCCESS"));

    Cli.Result verified = Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString());
    assertEquals(0, verified.exitCode(), verified.toString());
  }

  @Test
  void failingTestRejectsTheRelease() throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Path test = project.resolve("src/test/java/dev/releasegate/examples/hello/ConfigTest.java");
    String source = Files.readString(test);
    TestRepos.commit(project, project.relativize(test).toString(),
        source.replace("new Config(8080, 5, \"hello\")", "new Config(8081, 5, \"hello\")"), "break a test");
    Path evidence = work.resolve("evidence");

    Cli.Result result = release(project, pipeline("[mvn, -B, test, -Dtest=ConfigTest]", "target/surefire-reports/*.xml"), evidence);
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("failed: dev.releasegate.examples.hello.ConfigTest#defaultsApplyWhenNothingIsSet"), result.stderr());

    JsonNode statement = statement(evidence);
    assertEquals("FAILED", statement.at("/predicate/result").asText());
    assertEquals("dev.releasegate.examples.hello.ConfigTest#defaultsApplyWhenNothingIsSet", statement.at("/predicate/failedTests/0").asText());
    JsonNode verdict = Json.parse(DsseEnvelope.parse(Files.readAllBytes(evidence.resolve("statements/99-verdict.dsse.json"))).payload());
    assertEquals("rejected", verdict.at("/predicate/run/status").asText());
    assertEquals(1, Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString()).exitCode());
  }

  @Test
  void missingReportsFailClosed() throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Path evidence = work.resolve("evidence");
    Cli.Result result = release(project, pipeline("[mvn, -B, -q, test, -Dtest=ConfigTest]", "target/no-such-reports/*.xml"), evidence);
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("no test reports found for target/no-such-reports/*.xml; the tests may not have run"), result.stderr());
    assertEquals("FAILED", statement(evidence).at("/predicate/result").asText());
  }
}
