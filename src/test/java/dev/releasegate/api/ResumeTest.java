package dev.releasegate.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
  @TempDir static Path keys;
  static Path signer;

  @TempDir Path work;
  Path flag;
  Path counter;

  @BeforeAll
  static void keys() {
    signer = TestKeys.write(keys, "signer");
  }

  /** a counts its runs in a file outside the repository; gate passes once the flag file exists. */
  private Path project() {
    flag = work.resolve("flag");
    counter = work.resolve("a-runs");
    return TestRepos.create(work.resolve("project"), Map.of(
        "releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n"
            + "  - {name: a, uses: exec, with: {command: [sh, -c, \"echo run >> " + counter + "\"]}}\n"
            + "  - {name: gate, uses: exec, with: {command: [test, -e, \"" + flag + "\"]}}\n"
            + "  - {name: c, uses: shout, with: {message: done}}\n",
        ".gitignore", "target/\n"));
  }

  private ReleaseRequest.Builder request(Path project, Path evidence) {
    return Releases.request(project, signer, evidence);
  }

  private int runsOfA() throws IOException {
    return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
  }

  @Test
  void rejectedRunContinuesAfterTheFixReusingWhatPassed() throws Exception {
    Path project = project();
    Path evidence = work.resolve("evidence");
    ReleaseResult first = Releases.run(request(project, evidence).build()).result();
    assertEquals(ReleaseStatus.REJECTED, first.status());
    byte[] statementOfA = Files.readAllBytes(evidence.resolve("statements/01-a.dsse.json"));
    String firstRun = Json.parse(Files.readAllBytes(evidence.resolve("bundle.json"))).get("runId").asText();

    Files.writeString(flag, "fixed");
    Releases.Run resumed = Releases.run(request(project, evidence).resume(true).build());
    assertEquals(ReleaseStatus.RELEASED, resumed.result().status(), resumed.result().stages().toString());
    assertEquals(1, runsOfA(), "the passed stage was not run again");
    assertArrayEquals(statementOfA, Files.readAllBytes(evidence.resolve("statements/01-a.dsse.json")), "its signed statement is reused as it was");
    assertTrue(resumed.events().stream().anyMatch(event -> event instanceof ReleaseEvent.Notice notice
        && notice.message().equals("resuming run " + firstRun + ": reusing the signed statements of a")), resumed.events().toString());
    JsonNode index = Json.parse(Files.readAllBytes(evidence.resolve("bundle.json")));
    assertEquals(firstRun, index.get("resumedFrom").asText());
    assertFalse(Files.exists(evidence.resolve(".progress.json")), "the journal is gone once the verdict is written");
    EvidenceReport report = Releasegate.verifyEvidence(evidence, TestKeys.pub(signer), EvidencePolicy.NONE);
    assertTrue(report.accepted(), report.problems().toString());
  }

  @Test
  void aGateThatPassedBesideTheOneThatFailedIsReusedAndOnlyTheFailedOneRunsAgain() throws Exception {
    flag = work.resolve("flag");
    counter = work.resolve("a-runs");
    Path marker = work.resolve("a-done");
    Path project = TestRepos.create(work.resolve("parallel"), Map.of(
        "releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n"
            + "  - {name: a, uses: exec, with: {command: [sh, -c, \"echo run >> " + counter + "; touch " + marker + "\"], exclusive: false}}\n"
            + "  - {name: gate, uses: exec, with: {command: [sh, -c, \"while [ ! -e " + marker + " ]; do sleep 0.05; done; test -e " + flag
            + "\"], exclusive: false}}\n"
            + "  - {name: c, uses: shout, with: {message: done}, needs: [a, gate]}\n",
        ".gitignore", "target/\n"));
    Path evidence = work.resolve("evidence");
    ReleaseResult first = Releases.run(request(project, evidence).build()).result();
    assertEquals(List.of(StageStatus.PASSED, StageStatus.FAILED, StageStatus.SKIPPED), first.stages().stream().map(StageEntry::status).toList());

    Files.writeString(flag, "fixed");
    Releases.Run resumed = Releases.run(request(project, evidence).resume(true).build());
    assertEquals(ReleaseStatus.RELEASED, resumed.result().status(), resumed.result().stages().toString());
    assertEquals(1, runsOfA(), "the gate that passed beside the failed one was reused");
    assertEquals(List.of("reused from run " + Json.parse(Files.readAllBytes(evidence.resolve("bundle.json"))).get("resumedFrom").asText()),
        resumed.result().stages().get(0).details());
    assertTrue(Releasegate.verifyEvidence(evidence, TestKeys.pub(signer), EvidencePolicy.NONE).accepted());
  }

  /** A plug-in's own output, kept with its key's codec, is handed on again by a reused plug-in stage. */
  @Test
  void aPlugInStagesOwnOutputSurvivesTheResume() throws Exception {
    flag = work.resolve("flag");
    Path project = TestRepos.create(work.resolve("plugin"), Map.of(
        "releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n"
            + "  - {name: a, uses: shout, with: {message: hello}}\n"
            + "  - {name: gate, uses: exec, with: {command: [test, -e, \"" + flag + "\"]}}\n"
            + "  - {name: echo, uses: shout, with: {message: again, echo: true}}\n",
        ".gitignore", "target/\n"));
    Path evidence = work.resolve("evidence");
    assertEquals(ReleaseStatus.REJECTED, Releases.run(request(project, evidence).build()).result().status());
    JsonNode recorded = Json.parse(Files.readAllBytes(evidence.resolve("bundle.json"))).at("/stages/0/outputs");
    assertEquals("HELLO", recorded.get("shouted").asText(), "the output is in the signed record: " + recorded);

    Files.writeString(flag, "fixed");
    Releases.Run resumed = Releases.run(request(project, evidence).resume(true).build());
    assertEquals(ReleaseStatus.RELEASED, resumed.result().status(), resumed.result().stages().toString());
    assertTrue(resumed.result().stages().get(0).details().stream().anyMatch(detail -> detail.startsWith("reused from run ")),
        resumed.result().stages().get(0).toString());
    JsonNode echo = Json.parse(DsseEnvelope.parse(Files.readAllBytes(evidence.resolve("statements/03-echo.dsse.json"))).payload());
    assertEquals("HELLO", echo.at("/predicate/echoed").asText(), "the reused stage's output reached the stage after it");
  }

  @Test
  void resumingAReleasedRunIsANoOpThatVerifiesAgain() throws Exception {
    Path project = project();
    Files.writeString(flag, "ok");
    Path evidence = work.resolve("evidence");
    assertEquals(ReleaseStatus.RELEASED, Releases.run(request(project, evidence).build()).result().status());
    byte[] index = Files.readAllBytes(evidence.resolve("bundle.json"));

    Releases.Run again = Releases.run(request(project, evidence).resume(true).build());
    assertEquals(ReleaseStatus.RELEASED, again.result().status());
    assertEquals(1, runsOfA(), "nothing ran again");
    assertArrayEquals(index, Files.readAllBytes(evidence.resolve("bundle.json")), "nothing was written");
    assertTrue(again.events().stream().anyMatch(event -> event instanceof ReleaseEvent.Notice notice && notice.message().contains("nothing to run")));
  }

  @Test
  void aChangedCommitIsNotResumed() throws Exception {
    Path project = project();
    Path evidence = work.resolve("evidence");
    Releases.run(request(project, evidence).build());
    TestRepos.commit(project, "README.md", "changed\n", "another commit");
    String head = dev.releasegate.git.GitFactsReader.read(project).commit();

    InvalidInputException explicit = assertThrows(InvalidInputException.class,
        () -> Releases.run(request(project, evidence).resume(true).build()));
    assertTrue(explicit.getMessage().startsWith("cannot resume " + evidence + ": the earlier run released commit "), explicit.getMessage());
    assertTrue(explicit.getMessage().endsWith(", HEAD is " + head + "; release without resuming, into a new evidence folder"), explicit.getMessage());
    assertEquals(Optional.of(Remedy.START_AFRESH), explicit.remedy());

    // Without --evidence the newest run under target/releasegate is looked at, and a new one started.
    Files.writeString(flag, "ok");
    Path defaults = project.resolve("target/releasegate");
    Releases.run(Releases.request(project, signer, null).build());
    TestRepos.commit(project, "README.md", "changed again\n", "a third commit");
    Releases.Run restarted = Releases.run(Releases.request(project, signer, null).resume(true).build());
    assertEquals(ReleaseStatus.RELEASED, restarted.result().status());
    assertTrue(restarted.events().stream().anyMatch(event -> event instanceof ReleaseEvent.Notice notice
        && notice.message().startsWith("starting over in " + defaults)), restarted.events().toString());
  }

  @Test
  void aTamperedEarlierRunIsNotReused() throws Exception {
    Path project = project();
    Path evidence = work.resolve("evidence");
    Releases.run(request(project, evidence).build());
    Path statement = evidence.resolve("statements/01-a.dsse.json");
    byte[] bytes = Files.readAllBytes(statement);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(statement, bytes);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Releases.run(request(project, evidence).resume(true).build()));
    assertTrue(e.getMessage().contains("the earlier bundle does not verify with this key"), e.getMessage());
  }

  @Test
  void nothingToResume() {
    Path project = project();
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Releases.run(Releases.request(project, signer, null).resume(true).build()));
    assertTrue(e.getMessage().startsWith("nothing to resume: no evidence folder given and none under "), e.getMessage());
    assertEquals(Optional.of(Remedy.NAME_RESUMED_RUN), e.remedy());
  }
}
