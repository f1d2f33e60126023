package dev.releasegate.stages.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.spi.StageResult;
import dev.releasegate.testing.FakeStageContext;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exec stage with real commands, isolated and not: honest exits, nothing left running, project-relative programs. */
class ExecStageTest {
  @TempDir static Path keys;
  static Path signer;

  @TempDir Path work;

  @BeforeAll
  static void keys() {
    signer = TestKeys.write(keys, "signer");
  }

  private Path project(String stage, Map<String, String> files) {
    Map<String, String> project = new HashMap<>(files);
    project.put("releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n  - " + stage + "\n");
    return TestRepos.create(work.resolve("project"), project);
  }

  private ReleaseResult release(Path project, String isolation) {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("RELEASEGATE_ISOLATION", isolation);
    return Releases.run(Releases.request(project, signer, work.resolve("evidence")).environment(environment).build()).result();
  }

  private JsonNode predicate() throws IOException {
    byte[] envelope = Files.readAllBytes(work.resolve("evidence/statements/01-check.dsse.json"));
    return Json.parse(DsseEnvelope.parse(envelope).payload()).get("predicate");
  }

  private static boolean running(String argument) {
    return ProcessHandle.allProcesses().anyMatch(process -> process.info().arguments().map(List::of).orElse(List.of()).equals(List.of(argument)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"namespaces", "none"})
  void aCommandThatLeavesABackgroundProcessIsRejectedWithItsOwnExitAndTheProcessIsStopped(String isolation) throws IOException {
    ReleaseResult result = release(project("{name: check, uses: exec, with: {command: [sh, -c, \"sleep 4501 & echo started\"]}}", Map.of()), isolation);

    assertEquals(ReleaseStatus.REJECTED, result.status());
    String reason = result.stages().get(0).reason().orElseThrow();
    assertTrue(reason.matches("'sh -c sleep 4501 & echo started' exited with 0 but left a background process running: PID \\d+ \\((sleep|sh)\\)"
        + (isolation.equals("none") ? "" : " in the sandbox") + "; stopped, as a release step must finish what it starts"), reason);
    assertEquals(1, predicate().get("leftBehind").size(), predicate().toString());
    assertEquals(0, predicate().get("exitCode").asInt());
    assertTrue(!running("4501"), "the background sleep was stopped");
  }

  // Constructed directly, against a fake context: no release around the stage.

  @Test
  void aFailingCommandIsReportedWithItsOwnExitCode() throws Exception {
    Path project = Files.createDirectories(work.resolve("direct"));
    StageResult result = FakeStageContext.stage(work.resolve("pipeline"), "{name: check, uses: exec, with: {command: [sh, -c, \"echo no >&2; exit 7\"]}}")
        .run(new FakeStageContext(project, work.resolve("bundle")));

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("'sh -c echo no >&2; exit 7' exited with 7", result.summary());
    assertEquals(7, result.predicate().get("exitCode").asInt());
  }

  @Test
  void aRelativeProgramIsTheProjectsNotTheCallersWorkingDirectorys() throws Exception {
    Path project = Files.createDirectories(work.resolve("direct"));
    Path script = Files.writeString(Files.createDirectories(project.resolve("tools")).resolve("check.sh"), "#!/bin/sh\necho \"checked in $(pwd)\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    FakeStageContext context = new FakeStageContext(project, work.resolve("bundle")).stageName("check");

    StageResult result = FakeStageContext.stage(work.resolve("pipeline"), "{name: check, uses: exec, with: {command: [./check.sh], workingDirectory: tools}}")
        .run(context);

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertTrue(context.artifact("output.log").contains("checked in " + project.resolve("tools")), context.artifact("output.log"));
  }

  @Test
  void theOutputsItNamesAreRecordedWithTheirDigests() throws Exception {
    Path project = Files.createDirectories(work.resolve("direct"));
    StageResult result = FakeStageContext.stage(work.resolve("pipeline"),
        "{name: check, uses: exec, with: {command: [sh, -c, \"mkdir -p out && printf licences > out/licences.txt\"], outputs: [out/*.txt]}}")
        .run(new FakeStageContext(project, work.resolve("bundle")));

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    JsonNode output = result.predicate().get("outputs").get(0);
    assertEquals("out/licences.txt", output.get("name").asText());
    assertEquals(dev.releasegate.base.Digests.sha256Hex("licences".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        output.at("/digest/sha256").asText());
  }
}
