package dev.releasegate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import dev.releasegate.testplugin.ShoutStageFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseTest {
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
        ".gitignore", "target/\n"));
  }

  private ReleaseRequest.Builder request(Path project) {
    return Releases.request(project, signer, work.resolve("evidence"));
  }

  private EvidenceReport verify() {
    return Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer), EvidencePolicy.NONE);
  }

  @Test
  void releasedRunLeavesABundleThatVerifies() throws IOException {
    Path project = project("""
          - {name: check, uses: exec, with: {command: [sh, -c, "echo checking; echo ok > out.txt"], outputs: [out.txt]}}
          - {name: shout, uses: shout, with: {message: hello}}
        """);
    ReleaseResult result = Releases.run(request(project).allowDirty(false).build()).result();

    assertEquals(ReleaseStatus.RELEASED, result.status());
    assertEquals(List.of(StageStatus.PASSED, StageStatus.PASSED), result.stages().stream().map(StageEntry::status).toList());
    EvidenceReport report = verify();
    assertTrue(report.accepted(), report.problems().toString());

    JsonNode shout = statement("statements/02-shout.dsse.json");
    assertEquals(ShoutStageFactory.PREDICATE_TYPE, shout.get("predicateType").asText());
    assertEquals("HELLO", shout.at("/predicate/shouted").asText());
    assertEquals(commit(project), shout.at("/subject/0/digest/gitCommit").asText());
    JsonNode exec = statement("statements/01-check.dsse.json");
    assertEquals(0, exec.at("/predicate/exitCode").asInt());
    assertEquals("out.txt", exec.at("/predicate/outputs/0/name").asText());
    assertTrue(Files.readString(work.resolve("evidence/artifacts/check/output.log")).contains("checking"));
    assertEquals("HELLO", Files.readString(work.resolve("evidence/artifacts/shout/shout.txt")));

    JsonNode index = Json.parse(Files.readAllBytes(work.resolve("evidence/bundle.json")));
    assertEquals("https://example.test/acme/service.git", index.at("/git/source").asText(), "credentials stripped from the remote");
    assertEquals("reports/junit.xml", index.at("/reports/0/path").asText(), "the JUnit report is listed in the signed record");
    String junit = Files.readString(work.resolve("evidence/reports/junit.xml"));
    assertTrue(junit.contains("<testsuite name=\"check\"") && junit.contains("<testsuite name=\"shout\""), junit);
    assertEquals(TestRepos.COMMIT_TIME.toString(), index.at("/git/commitTime").asText());
    assertEquals("1.2.3", index.get("version").asText());

    // The pipeline file that was applied is in the bundle, signed: its digest is the recorded policy's.
    assertEquals("reports/pipeline.yaml", index.at("/reports/1/path").asText());
    assertEquals(Files.readString(project.resolve("releasegate.yaml")), Files.readString(work.resolve("evidence/reports/pipeline.yaml")));
    assertEquals(index.at("/pipeline/sha256").asText(), index.at("/reports/1/sha256").asText());
    assertEquals("releasegate.yaml", index.at("/pipeline/location").asText(), "the project's path, not the host's: " + index.get("pipeline"));
    Files.writeString(work.resolve("evidence/reports/pipeline.yaml"), "apiVersion: releasegate/v1\nstages: []\n");
    assertFalse(verify().authentic(), "a pipeline file changed after the run does not verify");
  }

  @Test
  void aDryRunNeedsNoKeyRunsTheGatesHoldsThePublishersBackAndIsNeverReleased() throws IOException {
    Path project = project("""
          - {name: check, uses: exec, with: {command: ["true"]}}
          - {name: image, uses: fake-image}
          - {name: rival, uses: rival, with: {tag: latest}}
        """);
    ReleaseRequest dryRun = ReleaseRequest.builder(project).imageRepository("127.0.0.1:1/acme/service").evidenceDirectory(work.resolve("evidence"))
        .version("1.2.3").environment(Releases.environment()).dryRun(true).build();

    ReleaseResult result = Releases.run(dryRun).result();

    assertEquals(ReleaseStatus.DRY_RUN, result.status());
    assertEquals(List.of(StageStatus.PASSED, StageStatus.PASSED, StageStatus.SKIPPED), result.stages().stream().map(StageEntry::status).toList());
    assertEquals(java.util.Optional.of("not run: a dry run publishes nothing"), result.stages().get(2).reason(),
        "the publisher (which would write to a registry that is not there) never ran");
    assertEquals(List.of(), result.writes());
    JsonNode index = Json.parse(Files.readAllBytes(work.resolve("evidence/bundle.json")));
    assertTrue(index.get("dryRun").asBoolean(), index.toString());
    assertEquals("dry-run", index.get("status").asText());
    assertEquals("a dry run: every gate passed; nothing was pushed, tagged or signed", index.get("reason").asText());

    EvidenceReport withItsOwnKey = Releasegate.verifyEvidence(work.resolve("evidence"), work.resolve("evidence/signer.pub"), EvidencePolicy.NONE);
    assertTrue(withItsOwnKey.authentic(), withItsOwnKey.problems().toString());
    assertEquals(java.util.Optional.of(ReleaseStatus.DRY_RUN), withItsOwnKey.status());
    assertFalse(withItsOwnKey.accepted(), "a dry run never verifies as released");
    assertFalse(verify().authentic(), "nor is it signed by the release key");
  }

  @Test
  void aDryRunIsNeverResumed() {
    Path project = project("""
          - {name: check, uses: exec, with: {command: ["true"]}}
        """);

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Releases.run(request(project).dryRun(true).resume(true).build()));

    assertEquals("a dry run starts afresh: it cannot resume an earlier run", e.getMessage());
    assertTrue(Files.notExists(work.resolve("evidence")));
    InvalidInputException both = assertThrows(InvalidInputException.class,
        () -> request(project).keyless(true).build());
    assertEquals("sign with a key file or keylessly, not both", both.getMessage(), "the test request signs with a key file");
  }

  @Test
  void aReleaseBuiltByTheBuildThatRunsItBuildsAndTestsNothingAgain() throws IOException {
    Path project = project("""
          - {name: test, uses: test, with: {command: [sh, -c, "touch tested-again; exit 1"], reports: ["build/TEST-*.xml"], build: true}}
        """);
    Instant buildStarted = Instant.now().minusSeconds(5);
    Files.createDirectories(project.resolve("build"));
    Files.writeString(project.resolve("build/TEST-a.xml"), "<testsuite name=\"s\" tests=\"1\"><testcase classname=\"a.B\" name=\"one\"/></testsuite>");

    ReleaseResult result = Releases.run(request(project).allowDirty(true)
        .builtBy(new BuildOutputs(buildStarted, project.resolve("build/classes"), List.of())).build()).result();

    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    assertTrue(Files.notExists(project.resolve("tested-again")), "the tests ran in the build that runs the release");
    JsonNode predicate = Json.parse(DsseEnvelope.parse(Files.readAllBytes(result.evidenceDirectory().resolve(
        result.stages().get(0).statement().orElseThrow()))).payload()).get("predicate");
    assertEquals(1, predicate.at("/counts/passed").asInt(), "that build's report is what the gate read: " + predicate);
    EvidencePolicy isolated = Releasegate.readPolicy(Files.writeString(work.resolve("isolated.yaml"), "requireIsolation: true\n"));
    List<String> violations = Releasegate.verifyEvidence(result.evidenceDirectory(), TestKeys.pub(signer), isolated).policyViolations();
    assertTrue(violations.contains("policy: the project's commands ran without isolation from the release's secrets (isolation: none)"),
        "the project was built and tested in the process that holds the key, whatever the sandbox could do: " + violations);
  }

  @Test
  void rejectedGateStopsTheRunAndTheVerdictSaysSo() throws IOException {
    Path project = project("""
          - {name: first, uses: exec, with: {command: ["true"]}}
          - {name: gate, uses: exec, with: {command: ["false"]}}
          - {name: later, uses: shout, with: {message: never}}
        """);
    ReleaseResult result = Releases.run(request(project).build()).result();

    assertEquals(ReleaseStatus.REJECTED, result.status());
    StageEntry gate = result.stages().get(1);
    assertEquals(StageStatus.FAILED, gate.status());
    assertEquals(FailureKind.REJECTED, gate.failure().orElseThrow());
    assertEquals("'false' exited with 1", gate.reason().orElseThrow());
    StageEntry later = result.stages().get(2);
    assertEquals(StageStatus.SKIPPED, later.status());
    assertEquals("not run: stage 'gate' rejected the release", later.reason().orElseThrow());
    assertFalse(Files.exists(work.resolve("evidence/statements/03-later.dsse.json")));
    assertEquals(1, statement("statements/02-gate.dsse.json").at("/predicate/exitCode").asInt());

    JsonNode verdict = statement("statements/99-verdict.dsse.json");
    assertEquals("FAILED", verdict.at("/predicate/verificationResult").asText());
    assertEquals("rejected", verdict.at("/predicate/run/status").asText());

    EvidenceReport report = verify();
    assertTrue(report.authentic(), report.problems().toString());
    assertFalse(report.accepted());
    assertEquals(ReleaseStatus.REJECTED, report.status().orElseThrow());
  }

  @Test
  void skippedStageIsRecordedAndSigned() throws IOException {
    Path project = project("""
          - {name: a, uses: exec, with: {command: ["true"]}}
          - {name: b, uses: shout, with: {message: hi}}
        """);
    ReleaseResult result = Releases.run(request(project).skip("b").build()).result();

    assertEquals(ReleaseStatus.RELEASED, result.status());
    assertEquals("skipped with --skip", result.stages().get(1).reason().orElseThrow());
    JsonNode verdict = statement("statements/99-verdict.dsse.json");
    assertEquals("skipped", verdict.at("/predicate/run/stages/1/status").asText());
    assertEquals("skipped with --skip", verdict.at("/predicate/run/stages/1/reason").asText());
    assertTrue(verify().accepted());
    EvidenceReport strict = Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer),
        new EvidencePolicy(List.of(EvidencePolicy.Requirement.type("shout")), false, false));
    assertFalse(strict.accepted());
    assertEquals(List.of("policy: a stage of type shout must have run and passed"), strict.policyViolations());
  }

  @Test
  void aPolicyIsMetByStageTypesNeverByNamesTheReleaserChose() throws IOException {
    // Three exec stages named after the gates a policy asks for, and no image at all.
    Path project = project("""
          - {name: test, uses: exec, with: {command: ["true"]}}
          - {name: scan, uses: exec, with: {command: ["true"]}}
          - {name: smoke, uses: exec, with: {command: ["true"]}}
        """);
    assertEquals(ReleaseStatus.RELEASED, Releases.run(request(project).build()).result().status());
    Path policy = Files.writeString(work.resolve("policy.yaml"), "requirePassed: [test, trivy, smoke, {type: exec, stage: scan}]\n");

    EvidenceReport report = Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer), Releasegate.readPolicy(policy));
    assertEquals(List.of("policy: a stage of type test must have run and passed", "policy: a stage of type trivy must have run and passed",
        "policy: a stage of type smoke must have run and passed"), report.policyViolations(), "the exec named scan counts as what it is");
    EvidenceReport noScan = Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer),
        Releasegate.readPolicy(Files.writeString(work.resolve("fresh.yaml"), "maxScanDbAgeHours: 72\n")));
    assertEquals(List.of("policy: maxScanDbAgeHours and minWaiverValidityDays need a passed trivy stage; there is none"),
        noScan.policyViolations(), "an exec named scan has no DB to be fresh");
    Path negative = Files.writeString(work.resolve("negative.yaml"), "minWaiverValidityDays: -1\n");
    assertEquals("policy file " + negative + ": minWaiverValidityDays must be a whole number of 0 or more",
        assertThrows(InvalidInputException.class, () -> Releasegate.readPolicy(negative)).getMessage());
    Path bad = Files.writeString(work.resolve("bad.yaml"), "requirePassed: [{name: scan}]\n");
    assertTrue(assertThrows(InvalidInputException.class, () -> Releasegate.readPolicy(bad)).getMessage()
        .contains("requirePassed holds stage types, or {type: TYPE, stage: NAME}"));
  }

  @Test
  void aPolicyCanRequireThatTheProjectsCommandsRanIsolated() throws IOException {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    EvidencePolicy isolated = Releasegate.readPolicy(Files.writeString(work.resolve("isolated.yaml"), "requireIsolation: true\n"));

    Map<String, String> optedOut = new HashMap<>(Releases.environment());
    optedOut.put("RELEASEGATE_ISOLATION", "none");
    assertEquals(ReleaseStatus.RELEASED, Releases.run(request(project).environment(optedOut).build()).result().status());
    assertEquals(List.of("policy: the project's commands ran without isolation from the release's secrets (isolation: none)"),
        Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer), isolated).policyViolations());

    Path second = work.resolve("evidence-isolated");
    assertEquals(ReleaseStatus.RELEASED, Releases.run(request(project).evidenceDirectory(second).build()).result().status());
    assertEquals(List.of(), Releasegate.verifyEvidence(second, TestKeys.pub(signer), isolated).policyViolations());
  }

  @Test
  void skippingAStageWhoseOutputALaterOneNeedsIsInvalidInput() {
    Path project = project("""
          - {name: build, uses: jib}
          - {name: sign, uses: sign}
        """);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Releases.run(request(project).skip("build").build()));
    assertEquals("cannot skip 'build': stage 'sign' needs its output 'image'; skip 'sign' too, or do not skip 'build'", e.getMessage());
  }

  @Test
  void unknownSkipIsInvalidInput() {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Releases.run(request(project).skip("nope").build()));
    assertEquals("cannot skip 'nope': the pipeline has no such stage (stages: a)", e.getMessage());
  }

  @Test
  void dirtyWorkTreeIsRefusedUnlessAllowedAndThenRecorded() throws IOException {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    Files.writeString(project.resolve("uncommitted.txt"), "x");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Releases.run(request(project).build()));
    assertTrue(e.getMessage().contains("uncommitted changes (uncommitted.txt)"), e.getMessage());
    assertEquals(Optional.of(Remedy.ALLOW_DIRTY), e.remedy());
    assertFalse(Files.exists(work.resolve("evidence")), "nothing written before the checks pass");

    ReleaseResult result = Releases.run(request(project).allowDirty(true).build()).result();
    assertEquals(ReleaseStatus.RELEASED, result.status());
    JsonNode verdict = statement("statements/99-verdict.dsse.json");
    assertTrue(verdict.at("/predicate/run/allowDirty").asBoolean());
    assertEquals("uncommitted.txt", verdict.at("/predicate/run/git/dirtyPaths/0").asText());
    assertTrue(verify().accepted());
    EvidenceReport strict = Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer), new EvidencePolicy(List.of(), false, false));
    assertFalse(strict.accepted(), "a policy that does not allow dirty releases refuses this one");
  }

  @Test
  void versionComesFromTheTagOnHeadOrMustBeGiven() throws IOException {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Releases.run(request(project).version(null).build()));
    assertEquals("no release version; give the release version, or tag HEAD (e.g. git tag v1.0.0)", e.getMessage());
    assertEquals(Optional.of(Remedy.GIVE_VERSION), e.remedy());

    TestRepos.tag(project, "v2.0.1");
    Releases.run(request(project).version(null).build());
    assertEquals("2.0.1", statement("statements/99-verdict.dsse.json").at("/predicate/run/version").asText());

    assertThrows(InvalidInputException.class, () -> Releases.run(request(project).version("1.0/evil").build()));
  }

  @Test
  void evidenceFolderMustBeNewOrEmpty() throws IOException {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    Files.createDirectories(work.resolve("evidence"));
    Files.writeString(work.resolve("evidence/keep.txt"), "precious");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Releases.run(request(project).build()));
    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    assertEquals("precious", Files.readString(work.resolve("evidence/keep.txt")));
  }

  @Test
  void wrongKeyPasswordIsInvalidInput() {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Releases.run(request(project).keyPassword("wrong".toCharArray()).build()));
    assertEquals("wrong password for key " + TestKeys.key(signer), e.getMessage());
  }

  @Test
  void secretsNeverReachSubprocessesLogsOrEvidence() throws IOException {
    Path project = project("""
          - {name: env, uses: exec, with: {command: [sh, -c, "test -z \\"$COSIGN_PASSWORD$RELEASEGATE_REGISTRY_PASSWORD\\""]}}
          - {name: echo, uses: exec, with: {command: [echo, "the password is test-password-41 and hunter22"]}}
        """);
    Map<String, String> environment = new java.util.HashMap<>(Releases.environment());
    environment.put("RELEASEGATE_REGISTRY_PASSWORD", "hunter22");
    Releases.Run run = Releases.run(request(project).environment(environment).build());

    assertEquals(ReleaseStatus.RELEASED, run.result().status(), "subprocesses do not see the secrets");
    assertTrue(Files.readString(work.resolve("evidence/artifacts/echo/output.log")).contains("the password is *** and ***"));
    try (Stream<Path> files = Files.walk(work.resolve("evidence"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains(TestKeys.PASSWORD) || content.contains("hunter22"), file + " leaks a secret");
        if (file.toString().endsWith(".dsse.json")) {
          String payload = new String(DsseEnvelope.parse(Files.readAllBytes(file)).payload(), StandardCharsets.UTF_8);
          assertFalse(payload.contains(TestKeys.PASSWORD) || payload.contains("hunter22"), file + " payload leaks a secret");
        }
      }
    }
    assertFalse(run.events().toString().contains(TestKeys.PASSWORD));
    assertFalse(run.events().toString().contains("hunter22"));
  }

  @Test
  void missingToolFailsClosedWithAnErrorStatement() throws IOException {
    Path project = project("  - {name: tool, uses: exec, with: {command: [no-such-tool-xyz, --version]}}\n");
    ReleaseResult result = Releases.run(request(project).build()).result();

    assertEquals(ReleaseStatus.FAILED, result.status());
    StageEntry tool = result.stages().get(0);
    assertEquals(FailureKind.ENVIRONMENT, tool.failure().orElseThrow());
    assertEquals("no-such-tool-xyz not found on PATH", tool.reason().orElseThrow());
    JsonNode statement = statement("statements/01-tool.dsse.json");
    assertEquals("https://releasegate.dev/stage-error/v1", statement.get("predicateType").asText());
    assertEquals("environment", statement.at("/predicate/failure").asText());
    EvidenceReport report = verify();
    assertTrue(report.authentic(), report.problems().toString());
    assertEquals(ReleaseStatus.FAILED, report.status().orElseThrow());
  }

  @Test
  void commandPastItsDeadlineIsStoppedAndRejected() {
    Path project = project("  - {name: slow, uses: exec, with: {command: [sleep, \"60\"], timeoutSeconds: 1}}\n");
    ReleaseResult result = Releases.run(request(project).build()).result();
    assertEquals(ReleaseStatus.REJECTED, result.status());
    assertEquals("'sleep 60' timed out after 1 s", result.stages().get(0).reason().orElseThrow());
    assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().command().orElse("").endsWith("sleep")),
        "the timed-out process is gone");
  }

  @Test
  void interruptionStopsTheStageItsProcessesAndSignsAFailedVerdict() throws Exception {
    Path project = project("""
          - {name: wait, uses: exec, with: {command: [sleep, "300"]}}
          - {name: after, uses: shout, with: {message: never}}
        """);
    java.util.concurrent.atomic.AtomicReference<ReleaseResult> result = new java.util.concurrent.atomic.AtomicReference<>();
    Thread release = new Thread(() -> result.set(Releases.run(request(project).build()).result()));
    release.start();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (sleeping() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    while (!sleeping() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(sleeping(), "the stage's subprocess started");
    release.interrupt();
    release.join(30_000);

    assertEquals(ReleaseStatus.FAILED, result.get().status());
    StageEntry wait = result.get().stages().get(0);
    assertEquals(FailureKind.INTERRUPTED, wait.failure().orElseThrow());
    assertEquals("interrupted: releasegate was asked to stop", wait.reason().orElseThrow());
    assertEquals(StageStatus.SKIPPED, result.get().stages().get(1).status());
    assertFalse(sleeping(), "the subprocess was stopped");
    EvidenceReport report = verify();
    assertTrue(report.authentic(), report.problems().toString());
    assertFalse(report.accepted(), "an interrupted release never verifies as released");
    assertEquals("interrupted", statement("statements/01-wait.dsse.json").at("/predicate/failure").asText());
  }

  private static boolean sleeping() {
    return ProcessHandle.current().descendants().anyMatch(p -> p.info().command().orElse("").endsWith("/sleep"));
  }

  @Test
  void invalidPipelineStopsBeforeAnythingRuns() {
    Path project = project("  - {name: a, uses: nope}\n");
    PipelineException e = assertThrows(PipelineException.class, () -> Releases.run(request(project).build()));
    assertTrue(e.problems().get(0).matches(".*releasegate.yaml:3:21: unknown stage type 'nope'.*"), e.problems().toString());
    assertFalse(Files.exists(work.resolve("evidence")));
  }

  @Test
  void pluginStageTypeIsListedWithItsOrigin() {
    StageType shout = Releasegate.stageTypes().stream().filter(type -> type.type().equals("shout")).findFirst().orElseThrow();
    assertEquals(ShoutStageFactory.PREDICATE_TYPE, shout.predicateType());
    assertTrue(shout.origin().contains("test-classes"), shout.origin());
    assertTrue(Releasegate.stageTypes().stream().anyMatch(type -> type.type().equals("test")));
  }

  private JsonNode statement(String path) throws IOException {
    return Json.parse(DsseEnvelope.parse(Files.readAllBytes(work.resolve("evidence").resolve(path))).payload());
  }

  private static String commit(Path project) {
    return dev.releasegate.git.GitFactsReader.read(project).commit();
  }
}
