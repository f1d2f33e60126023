package dev.releasegate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.Dsse;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.EvidenceVerifier;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.evidence.Verdict;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gates without a data dependency run at the same time; the first that fails cancels the others, and
 * the evidence tells cancelled from not run. Real commands, real releases, in process.
 */
class ParallelRunTest {
  @TempDir static Path keys;
  static Path signer;

  @TempDir Path work;

  @BeforeAll
  static void keys() {
    signer = TestKeys.write(keys, "signer");
  }

  private Path project(String stages) {
    return TestRepos.create(work.resolve("project"), Map.of(
        "releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n" + stages,
        ".gitignore", "target/\npids/\n"));
  }

  private Releases.Run release(Path project) {
    return Releases.run(Releases.request(project, signer, work.resolve("evidence")).build());
  }

  private JsonNode index() throws IOException {
    return Json.parse(Files.readAllBytes(work.resolve("evidence/bundle.json")));
  }

  private EvidenceReport verify() {
    return Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer), EvidencePolicy.NONE);
  }

  private static Instant start(JsonNode stage) {
    return Instant.parse(stage.get("startedAt").asText());
  }

  private static Instant end(JsonNode stage) {
    return start(stage).plusMillis(stage.get("durationMs").asLong());
  }

  @Test
  void fourSleepingGatesOverlapInTheirRecordedTimes() throws IOException {
    StringBuilder stages = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      stages.append("  - {name: wait-").append(i).append(", uses: exec, with: {command: [sleep, \"2\"], exclusive: false}}\n");
    }
    Releases.Run run = release(project(stages.toString()));

    assertEquals(ReleaseStatus.RELEASED, run.result().status());
    List<JsonNode> recorded = new ArrayList<>();
    index().get("stages").forEach(recorded::add);
    assertEquals(List.of("wait-1", "wait-2", "wait-3", "wait-4"), recorded.stream().map(stage -> stage.get("name").asText()).toList(),
        "the record keeps the file's order");
    Instant lastStart = recorded.stream().map(ParallelRunTest::start).max(Instant::compareTo).orElseThrow();
    Instant firstEnd = recorded.stream().map(ParallelRunTest::end).min(Instant::compareTo).orElseThrow();
    assertTrue(lastStart.isBefore(firstEnd), "every gate started before any ended: " + recorded);
    for (int i = 1; i <= 4; i++) {
      assertTrue(Files.exists(work.resolve("evidence/statements/0" + i + "-wait-" + i + ".dsse.json")), "statements are numbered in file order");
    }
    assertTrue(verify().accepted(), verify().problems().toString());
  }

  @Test
  void stagesThatUseTheWorkTreeNeverOverlap() throws IOException {
    Releases.Run run = release(project("""
          - {name: first, uses: exec, with: {command: [sleep, "1"]}}
          - {name: second, uses: exec, with: {command: [sleep, "1"]}}
        """));
    assertEquals(ReleaseStatus.RELEASED, run.result().status());
    JsonNode stages = index().get("stages");
    assertFalse(start(stages.get(1)).isBefore(end(stages.get(0))), "the second started after the first ended: " + stages);
  }

  @Test
  void theFirstGateToFailCancelsTheOthersAndTheirProcessesAreGone() throws Exception {
    Path project = project("""
          - {name: failing, uses: exec, with: {command: [sh, -c, "while [ $(ls pids 2>/dev/null | wc -l) -lt 3 ]; do sleep 0.05; done; exit 3"], exclusive: false}}
          - {name: slow-a, uses: exec, with: {command: [sh, -c, "mkdir -p pids; touch pids/a; exec sleep 1201"], exclusive: false}}
          - {name: slow-b, uses: exec, with: {command: [sh, -c, "mkdir -p pids; touch pids/b; exec sleep 1202"], exclusive: false}}
          - {name: slow-c, uses: exec, with: {command: [sh, -c, "mkdir -p pids; touch pids/c; exec sleep 1203"], exclusive: false}}
          - {name: after, uses: shout, with: {message: never}, needs: [failing, slow-a, slow-b, slow-c]}
        """);
    Releases.Run run = release(project);

    assertEquals(ReleaseStatus.REJECTED, run.result().status());
    List<StageStatus> statuses = run.result().stages().stream().map(StageEntry::status).toList();
    assertEquals(List.of(StageStatus.FAILED, StageStatus.CANCELLED, StageStatus.CANCELLED, StageStatus.CANCELLED, StageStatus.SKIPPED), statuses);
    assertEquals("cancelled: stage 'failing' rejected the release", run.result().stages().get(1).reason().orElseThrow());
    assertEquals("not run: stage 'failing' rejected the release", run.result().stages().get(4).reason().orElseThrow());
    // Each sleep started (the failing gate waited for all three), and none runs now. PIDs inside a
    // sandbox are not this process's, so the sleeps are found by their arguments.
    for (String seconds : List.of("1201", "1202", "1203")) {
      assertTrue(ProcessHandle.allProcesses().noneMatch(process -> process.info().arguments().map(List::of).orElse(List.of()).equals(List.of(seconds))),
          "sleep " + seconds + " was stopped");
    }
    JsonNode cancelled = statement("statements/02-slow-a.dsse.json");
    assertEquals("https://releasegate.dev/stage-error/v1", cancelled.get("predicateType").asText());
    assertEquals("cancelled", cancelled.at("/predicate/status").asText());
    assertEquals("cancelled", index().at("/stages/1/status").asText());
    assertFalse(Files.exists(work.resolve("evidence/statements/05-after.dsse.json")), "a stage not run has no statement");

    EvidenceReport report = verify();
    assertTrue(report.authentic(), report.problems().toString());
    assertEquals(ReleaseStatus.REJECTED, report.status().orElseThrow());
  }

  @Test
  void twoGatesRejectingAtOnceGiveOneVerdictWithBothReasons() throws IOException {
    Releases.Run run = release(project("""
          - {name: left, uses: rendezvous, with: {group: g}}
          - {name: right, uses: rendezvous, with: {group: g}}
          - {name: after, uses: shout, with: {message: never}, needs: [left, right]}
        """));

    assertEquals(ReleaseStatus.REJECTED, run.result().status());
    assertEquals(List.of(StageStatus.FAILED, StageStatus.FAILED, StageStatus.SKIPPED),
        run.result().stages().stream().map(StageEntry::status).toList());
    String reason = index().get("reason").asText();
    assertTrue(reason.contains("stage 'left': left says no") && reason.contains("stage 'right': right says no"), reason);
    assertEquals(1, Files.list(work.resolve("evidence/statements")).filter(path -> path.getFileName().toString().startsWith("99-")).count());
    assertTrue(verify().authentic(), verify().problems().toString());
  }

  @Test
  void aVerdictThatCallsACancelledStagePassedFailsVerificationEvenSignedWithTheRunKey() throws Exception {
    Releases.Run run = release(project("""
          - {name: failing, uses: rendezvous, with: {group: g, parties: 1}}
          - {name: slow, uses: exec, with: {command: [sleep, "120"], exclusive: false}}
        """));
    assertEquals(StageStatus.CANCELLED, run.result().stages().get(1).status());

    // A writer holding the run's key rewrites the record: the cancelled stage passed, and with it the run.
    Path bundle = work.resolve("evidence");
    ObjectNode index = (ObjectNode) Json.parse(Files.readAllBytes(bundle.resolve("bundle.json")));
    ObjectNode slow = (ObjectNode) index.get("stages").get(1);
    slow.put("status", "passed");
    slow.remove("reason");
    ObjectNode failing = (ObjectNode) index.get("stages").get(0);
    ObjectNode record = EvidenceVerifier.runPart(index);
    var releaser = new DsseSigner(new KeySigner(CosignKeyFile.read(TestKeys.key(signer), TestKeys.PASSWORD.toCharArray())));
    byte[] envelope = Json.pretty(releaser.sign(Dsse.IN_TOTO_PAYLOAD_TYPE,
        Json.compact(Verdict.statement(RunRecord.fromJson(record), Instant.now()))).envelope().toJson());
    Files.write(bundle.resolve(Verdict.STATEMENT_PATH), envelope);
    ((ObjectNode) index.get("verdict")).put("sha256", Digests.sha256Hex(envelope));
    Files.write(bundle.resolve("bundle.json"), Json.pretty(index));

    EvidenceReport report = verify();
    assertFalse(report.authentic());
    assertTrue(report.problems().stream().anyMatch(problem -> problem.startsWith("statements/02-slow.dsse.json: outcome: bundle.json says passed")),
        report.problems().toString());
    assertEquals("failed", failing.get("status").asText(), "the failing stage is untouched");
  }

  @Test
  void statementsFromBeforeTheImageAreSignedAgainAboutItsDigestAndTheCommit() throws IOException {
    Path project = project("""
          - {name: check, uses: shout, with: {message: fine}}
          - {name: build, uses: fake-image}
          - {name: after, uses: shout, with: {message: built, aboutImage: true}}
        """);
    Releases.Run run = Releases.run(Releases.request(project, signer, work.resolve("evidence"))
        .imageRepository("registry.test/acme/app").build());

    assertEquals(ReleaseStatus.RELEASED, run.result().status());
    JsonNode check = statement("statements/01-check.dsse.json");
    assertEquals(dev.releasegate.testplugin.FakeImageStageFactory.DIGEST.substring(7), check.at("/subject/0/digest/sha256").asText());
    assertEquals(dev.releasegate.git.GitFactsReader.read(project).commit(), check.at("/subject/1/digest/gitCommit").asText());
    assertEquals(1, statement("statements/03-after.dsse.json").get("subject").size(), "statements after the build name the image only");
    assertEquals(index().at("/stages/0/sha256").asText(), Digests.sha256Hex(work.resolve("evidence/statements/01-check.dsse.json")),
        "the record names the statement as signed again");
    assertTrue(verify().accepted(), verify().problems().toString());
  }

  private JsonNode statement(String path) throws IOException {
    return Json.parse(DsseEnvelope.parse(Files.readAllBytes(work.resolve("evidence").resolve(path))).payload());
  }

  @Test
  void aStagePastItsDeadlineIsStoppedAndFailsAndTheOthersAreCancelled() throws IOException {
    Path project = project("""
          - {name: stuck, uses: hang, with: {deadlineMillis: 700}}
          - {name: slow, uses: exec, with: {command: [sleep, "1204"], exclusive: false}}
          - {name: after, uses: shout, with: {message: never}, needs: [stuck, slow]}
        """);
    long start = System.nanoTime();
    Releases.Run run = release(project);

    assertTrue(System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(20), "the run ended at the deadline");
    assertEquals(ReleaseStatus.FAILED, run.result().status());
    StageEntry stuck = run.result().stages().get(0);
    assertEquals(StageStatus.FAILED, stuck.status());
    assertEquals(java.util.Optional.of(FailureKind.ENVIRONMENT), stuck.failure());
    assertEquals("did not finish within its deadline of 0.7 s", stuck.reason().orElseThrow());
    assertEquals("cancelled: stage 'stuck' did not finish within its deadline of 0.7 s", run.result().stages().get(1).reason().orElseThrow());
    assertEquals(StageStatus.SKIPPED, run.result().stages().get(2).status());
    assertTrue(ProcessHandle.allProcesses().noneMatch(process -> process.info().arguments().map(List::of).orElse(List.of()).equals(List.of("1204"))),
        "the cancelled stage's command was stopped");
    JsonNode error = statement("statements/01-stuck.dsse.json");
    assertEquals("did not finish within its deadline of 0.7 s", error.at("/predicate/message").asText());
    assertTrue(verify().authentic(), verify().problems().toString());
  }
}
