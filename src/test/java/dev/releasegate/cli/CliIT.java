package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users meet it: exit codes, messages, no stack traces unless asked. */
class CliIT {
  @TempDir static Path shared;
  static Path signer;

  @TempDir Path work;

  @BeforeAll
  static void key() {
    signer = TestKeys.write(shared, "signer");
  }

  private Path project(String stages) {
    return project("p", stages);
  }

  private Path project(String name, String stages) {
    return TestRepos.create(work.resolve(name), Map.of(
        "releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n" + stages, ".gitignore", "target/\n"));
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    Cli.Result help = Cli.run(work, "--help");
    assertEquals(0, help.exitCode(), help.toString());
    for (String command : new String[] {"release", "verify-evidence", "keygen", "stages"}) {
      assertTrue(help.stdout().contains(command), help.stdout());
    }
    assertTrue(help.stdout().contains("3   environment or infrastructure failure"), help.stdout());
    assertTrue(Cli.run(work, "--version").stdout().startsWith("releasegate 0.1.0"));
  }

  @Test
  void helpIsACommandCompletionIsOneAndNoCommandIsAnError() {
    Cli.Result help = Cli.run(work, "help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.stdout().contains("promote") && help.stdout().contains("completion"), help.stdout());
    Cli.Result releaseHelp = Cli.run(work, "help", "release");
    assertEquals(0, releaseHelp.exitCode(), releaseHelp.toString());
    assertTrue(releaseHelp.stdout().startsWith("Usage: releasegate release"), releaseHelp.stdout());

    for (String command : List.of("release", "check", "verify-evidence", "verify-image", "promote", "history", "rollback", "keygen", "report", "stages")) {
      Cli.Result commandHelp = Cli.run(work, command, "--help");
      assertEquals(0, commandHelp.exitCode(), commandHelp.toString());
      assertTrue(commandHelp.stdout().contains("\nExit codes:\n  0   "), command + " help names its exit codes: " + commandHelp.stdout());
    }
    assertTrue(Cli.run(work, "release", "--help").stdout().contains("\nEnvironment:\n  COSIGN_PASSWORD "), "release help names its variables");

    Cli.Result completion = Cli.run(work, "completion");
    assertEquals(0, completion.exitCode(), completion.toString());
    assertTrue(completion.stdout().contains("complete -F _complete_releasegate"), completion.stdout());

    Cli.Result none = Cli.run(work);
    assertEquals(2, none.exitCode(), "no command is no success: " + none);
    assertTrue(none.stderr().startsWith("releasegate: no command given\nUsage: releasegate"), none.stderr());
  }

  @Test
  void usageErrorsExitTwo() {
    Cli.Result unknown = Cli.run(work, "relase");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.stderr().contains("Did you mean: release"), unknown.stderr());
    Cli.Result badOption = Cli.run(work, "release", "--nope");
    assertEquals(2, badOption.exitCode());
    assertTrue(badOption.stderr().contains("Unknown option: '--nope'"), badOption.stderr());
  }

  @Test
  void invalidPipelineReportsEveryProblemWithPositionAndNoStackTrace() throws Exception {
    Path project = project("  - {name: a, uses: tset}\n  - {name: a, uses: exec}\n");
    Cli.Result result = Cli.run(work, "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(), "--version", "1");
    assertEquals(2, result.exitCode(), result.toString());
    String file = project.resolve("releasegate.yaml").toString();
    assertTrue(result.stderr().contains(file + ":3:21: unknown stage type 'tset', did you mean 'test'?"), result.stderr());
    assertTrue(result.stderr().contains(file + ":4:5: missing required option 'command'"), result.stderr());
    assertFalse(result.stderr().contains("\tat "), "no stack trace without --stacktrace");
    Cli.Result json = Cli.run(work, "release", "--json", "--project", project.toString(), "--key", TestKeys.key(signer).toString(), "--version", "1");
    assertEquals(2, json.exitCode());
    JsonNode failure = Json.parse(json.stdout().getBytes(StandardCharsets.UTF_8));
    assertEquals("failed", failure.get("status").asText());
    assertEquals("invalid-input", failure.at("/error/kind").asText());
    assertTrue(failure.at("/error/message").asText().contains(":3:21: unknown stage type 'tset'"));
    Cli.Result traced = Cli.run(work, "release", "--stacktrace", "--project", project.toString(), "--key", TestKeys.key(signer).toString(), "--version", "1");
    assertTrue(traced.stderr().contains("\tat dev.releasegate"), traced.stderr());
  }

  @Test
  void wrongKeyPasswordExitsTwoWithItsMessage() {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("COSIGN_PASSWORD", "wrong");
    Path key = TestKeys.key(signer);
    Cli.Result result = Cli.run(environment, work, "release", "--project", project.toString(), "--key", key.toString(), "--version", "1");
    assertEquals(2, result.exitCode(), result.toString());
    assertEquals("releasegate: wrong password for key " + key + "\n", result.stderr());
  }

  @Test
  void releaseJsonVerifyAndRejectExitCodes() throws Exception {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    Path evidence = work.resolve("evidence");
    Cli.Result released = Cli.run(work, "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "2.0.0", "--evidence", evidence.toString(), "--json");
    assertEquals(0, released.exitCode(), released.toString());
    JsonNode json = Json.parse(released.stdout().getBytes(StandardCharsets.UTF_8));
    assertEquals("released", json.get("status").asText());
    assertEquals(evidence.toString(), json.get("evidence").asText());
    assertEquals("passed", json.at("/stages/0/status").asText());
    assertEquals(evidence.resolve("statements/01-a.dsse.json").toString(), json.at("/stages/0/statement").asText());
    assertTrue(json.at("/stages/0/durationMs").isIntegralNumber());
    assertTrue(released.stderr().contains("✓ a passed"), "progress goes to stderr: " + released.stderr());

    Cli.Result verified = Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString());
    assertEquals(0, verified.exitCode(), verified.toString());
    assertTrue(verified.stdout().contains("verified: released"), verified.stdout());

    Path failing = TestRepos.create(work.resolve("f"), Map.of("releasegate.yaml",
        "apiVersion: releasegate/v1\nstages:\n  - {name: gate, uses: exec, with: {command: [\"false\"]}}\n"));
    Path rejectedEvidence = work.resolve("rejected");
    Cli.Result rejected = Cli.run(work, "release", "--project", failing.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "2.0.0", "--evidence", rejectedEvidence.toString(), "--json");
    assertEquals(1, rejected.exitCode(), rejected.toString());
    assertEquals("rejected", Json.parse(rejected.stdout().getBytes(StandardCharsets.UTF_8)).get("status").asText());
    Cli.Result authenticButRejected = Cli.run(work, "verify-evidence", rejectedEvidence.toString(), "--key", TestKeys.pub(signer).toString());
    assertEquals(1, authenticButRejected.exitCode());
    assertTrue(authenticButRejected.stdout().contains("authentic, but not accepted: release rejected"), authenticButRejected.stdout());

    Cli.Result both = Cli.run(work, "verify-evidence", evidence.toString(), rejectedEvidence.toString(), "--key", TestKeys.pub(signer).toString(),
        "--json");
    assertEquals(1, both.exitCode(), both.toString());
    JsonNode results = Json.parse(both.stdout().getBytes(StandardCharsets.UTF_8));
    assertFalse(results.get("verified").asBoolean());
    assertEquals(List.of(true, false), List.of(results.at("/bundles/0/verified").asBoolean(), results.at("/bundles/1/verified").asBoolean()));
    assertEquals("rejected", results.at("/bundles/1/status").asText());
    assertTrue(results.at("/bundles/1/authentic").asBoolean());

    Files.writeString(evidence.resolve("artifacts/a/output.log"), "tampered");
    Cli.Result tampered = Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString());
    assertEquals(1, tampered.exitCode());
    assertTrue(tampered.stdout().contains("artifacts/a/output.log: digest: sha256"), tampered.stdout());

    Cli.Result notABundle = Cli.run(work, "verify-evidence", work.toString(), "--key", TestKeys.pub(signer).toString());
    assertEquals(2, notABundle.exitCode());
    assertTrue(notABundle.stderr().contains("is not an evidence bundle: it has no bundle.json"), notABundle.stderr());
  }

  @Test
  void sigtermDuringAStageSignsAFailedVerdictAndLeavesNoProcess() throws Exception {
    Path project = project("  - {name: wait, uses: exec, with: {command: [sleep, \"300\"]}}\n");
    Path evidence = work.resolve("evidence");
    Process process = Cli.start(work.resolve("out.log"), "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "1", "--evidence", evidence.toString());
    List<ProcessHandle> children = Cli.awaitChild(process, "sleep");
    assertFalse(children.isEmpty(), "the stage's subprocess started");
    process.destroy();
    assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "releasegate stops within a minute");
    assertEquals(143, process.exitValue(), Files.readString(work.resolve("out.log")));
    for (ProcessHandle child : children) {
      assertFalse(child.isAlive(), "subprocess " + child.pid() + " was stopped");
    }
    Cli.Result verified = Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString());
    assertEquals(1, verified.exitCode(), verified.toString());
    assertTrue(verified.stdout().contains("authentic, but not accepted: release failed"), verified.stdout());
    assertTrue(verified.stdout().contains("interrupted"), verified.stdout());
  }

  @Test
  void underGitHubActionsTheRunIsRecordedAndReported() throws Exception {
    Path project = project("  - {name: gate, uses: exec, with: {command: [\"false\"]}}\n");
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.putAll(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "acme/service", "GITHUB_RUN_ID", "42",
        "GITHUB_RUN_ATTEMPT", "2", "GITHUB_WORKFLOW_REF", "acme/service/.github/workflows/release.yml@refs/heads/main",
        "GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567", "GITHUB_EVENT_NAME", "push",
        "GITHUB_OUTPUT", work.resolve("outputs").toString(), "GITHUB_STEP_SUMMARY", work.resolve("summary.md").toString()));
    Path evidence = work.resolve("evidence");
    Cli.Result result = Cli.run(environment, work, "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "1", "--evidence", evidence.toString());
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("::error title=releasegate%3A stage gate rejected::'false' exited with 1"), result.stderr());
    assertTrue(Files.readString(work.resolve("outputs")).contains("status=rejected\n"));
    assertTrue(Files.readString(work.resolve("summary.md")).contains("| gate | exec | ❌ rejected |"));
    JsonNode verdict = Json.parse(dev.releasegate.evidence.DsseEnvelope.parse(
        Files.readAllBytes(evidence.resolve("statements/99-verdict.dsse.json"))).payload());
    assertEquals("https://github.com/acme/service/actions/runs/42/attempts/2", verdict.at("/predicate/run/ci/url").asText());
    assertEquals("push", verdict.at("/predicate/run/ci/facts/GITHUB_EVENT_NAME").asText());
  }

  @Test
  void aRunKilledWithoutAVerdictResumesFromItsJournal() throws Exception {
    Path flag = work.resolve("flag");
    Path project = project("  - {name: first, uses: exec, with: {command: [\"true\"]}}\n"
        + "  - {name: wait, uses: exec, with: {command: [sh, -c, \"test -e " + flag + " || exec sleep 300\"]}}\n");
    Path evidence = work.resolve("evidence");
    Process process = Cli.start(work.resolve("out.log"), "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "1", "--evidence", evidence.toString());
    List<ProcessHandle> orphans = Cli.awaitChild(process, "sleep");
    process.destroyForcibly().waitFor();
    orphans.forEach(ProcessHandle::destroyForcibly);
    assertFalse(Files.exists(evidence.resolve("bundle.json")), "a killed run has no verdict");
    assertEquals(2, Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString()).exitCode());

    Files.writeString(flag, "go");
    Cli.Result resumed = Cli.run(work, "release", "--resume", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "1", "--evidence", evidence.toString());
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(resumed.stderr().contains("reusing the signed statements of first"), resumed.stderr());
    assertEquals(0, Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString()).exitCode());
  }

  @Test
  void keylessNeedsGitHubActionsAndExcludesAKey() throws Exception {
    Path project = project("  - {name: a, uses: exec, with: {command: [\"true\"]}}\n");
    Cli.Result outside = Cli.run(work, "release", "--project", project.toString(), "--keyless", "--version", "1");
    assertEquals(3, outside.exitCode(), outside.toString());
    assertTrue(outside.stderr().contains("keyless signing needs GitHub Actions' OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); "
        + "run in a workflow with permissions: id-token: write, or sign with --key"), outside.stderr());
    Cli.Result both = Cli.run(work, "release", "--project", project.toString(), "--keyless", "--key", TestKeys.key(signer).toString(), "--version", "1");
    assertEquals(2, both.exitCode(), both.toString());
    assertTrue(both.stderr().contains("--key and --keyless exclude each other"), both.stderr());

    Cli.Result neither = Cli.run(work, "verify-evidence", work.toString());
    assertEquals(2, neither.exitCode());
    assertTrue(neither.stderr().contains("verify with --key PUB, or keylessly with --certificate-identity, --certificate-oidc-issuer and --trusted-root"),
        neither.stderr());
    Cli.Result partial = Cli.run(work, "verify-evidence", work.toString(), "--certificate-identity", "x");
    assertEquals(2, partial.exitCode());
    assertTrue(partial.stderr().contains("keyless verification needs one of --certificate-oidc-issuer and --certificate-oidc-issuer-regexp"),
        partial.stderr());
    Cli.Result bothIdentities = Cli.run(work, "verify-evidence", work.toString(), "--certificate-identity", "x", "--certificate-identity-regexp", "x",
        "--certificate-oidc-issuer", "y", "--trusted-root", "root.json");
    assertEquals(2, bothIdentities.exitCode());
    assertTrue(bothIdentities.stderr().contains("keyless verification needs one of --certificate-identity and --certificate-identity-regexp"), bothIdentities.stderr());
    Cli.Result badRegexp = Cli.run(work, "verify-evidence", work.toString(), "--certificate-identity-regexp", "(unclosed",
        "--certificate-oidc-issuer", "y", "--trusted-root", "root.json");
    assertEquals(2, badRegexp.exitCode());
    assertTrue(badRegexp.stderr().contains("--certificate-identity-regexp: '(unclosed' is not a regular expression: Unclosed group"),
        badRegexp.stderr());
    Cli.Result noRoot = Cli.run(work, "verify-evidence", work.toString(), "--certificate-identity", "x", "--certificate-oidc-issuer", "y");
    assertEquals(2, noRoot.exitCode());
    assertTrue(noRoot.stderr().contains("keyless verification needs --trusted-root"), noRoot.stderr());
  }

  @Test
  void keygenWritesACosignKeyPairFromTheEnvironmentPassword() throws Exception {
    Cli.Result made = Cli.run(work, "keygen", "--output-prefix", work.resolve("k").toString());
    assertEquals(0, made.exitCode(), made.toString());
    assertTrue(Files.readString(work.resolve("k.key")).startsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n"));
    assertTrue(Files.readString(work.resolve("k.pub")).startsWith("-----BEGIN PUBLIC KEY-----\n"));
    assertEquals(2, Cli.run(work, "keygen", "--output-prefix", work.resolve("k").toString()).exitCode(), "never overwrites");

    Map<String, String> noPassword = new HashMap<>(Releases.environment());
    noPassword.remove("COSIGN_PASSWORD");
    Cli.Result refused = Cli.run(noPassword, work, "keygen", "--output-prefix", work.resolve("n").toString());
    assertEquals(2, refused.exitCode());
    assertTrue(refused.stderr().contains("COSIGN_PASSWORD is not set"), refused.stderr());
  }

  @Test
  void stagesListsTheBuiltInTypes() {
    Cli.Result stages = Cli.run(work, "stages");
    assertEquals(0, stages.exitCode());
    assertTrue(stages.stdout().matches("(?s).*\\btest +gate: runs the project.s tests.*"), stages.stdout());
    assertTrue(stages.stdout().matches("(?s).*\\bpush +publisher: tags the released digest.*"), stages.stdout());
    assertTrue(stages.stdout().contains("https://in-toto.io/attestation/test-result/v0.1"), stages.stdout());
    assertTrue(stages.stdout().contains("exec"), stages.stdout());
  }

  @Test
  void aPluginJarInThePluginsFolderIsLoadedDespiteJavaJar() throws Exception {
    // The test plug-in as a jar of its own: its classes (the factory and its predicate reader) and its services line, nothing else.
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    Path classes = Path.of("target/test-classes/dev/releasegate/testplugin");
    List<Path> shout;
    try (java.util.stream.Stream<Path> files = Files.list(classes)) {
      shout = files.filter(file -> file.getFileName().toString().matches("ShoutStageFactory(\\$.*)?\\.class")).sorted().toList();
    }
    assertTrue(shout.size() > 1, "the factory and its reader: " + shout);
    try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(plugins.resolve("shout.jar")))) {
      for (Path file : shout) {
        jar.putNextEntry(new java.util.jar.JarEntry("dev/releasegate/testplugin/" + file.getFileName()));
        jar.write(Files.readAllBytes(file));
      }
      jar.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.releasegate.spi.StageFactory"));
      jar.write("dev.releasegate.testplugin.ShoutStageFactory\n".getBytes(StandardCharsets.UTF_8));
    }
    assertFalse(Cli.run(work, "stages").stdout().contains("shout"), "the jar alone has no plug-ins");
    Cli.Result loaded = Cli.run(work, "stages", "--plugins", plugins.toString());
    assertEquals(0, loaded.exitCode(), loaded.toString());
    assertTrue(loaded.stdout().contains("shout"), loaded.stdout());

    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("RELEASEGATE_PLUGINS", plugins.toString());
    Path project = project("  - {name: hello, uses: shout, with: {message: hi}}\n");
    Cli.Result released = Cli.run(environment, work, "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "1.0.0", "--evidence", work.resolve("plugin-evidence").toString());
    assertEquals(0, released.exitCode(), released.toString());

    Cli.Result missing = Cli.run(work, "stages", "--plugins", work.resolve("nowhere").toString());
    assertEquals(2, missing.exitCode(), missing.toString());
    assertTrue(missing.stderr().contains("plug-in folder " + work.resolve("nowhere") + " is not a folder"), missing.stderr());
  }

  @Test
  void checkLooksAtWhatAReleaseNeedsAndExitsAsTheReleaseWould() throws Exception {
    dev.releasegate.testing.LocalRegistry registry = new dev.releasegate.testing.LocalRegistry();
    registry.start();
    try {
      Path project = project("ready", "  - {name: lint, uses: exec, with: {command: [sh, -c, \"true\"]}}\n");
      Cli.Result ready = Cli.run(work, "check", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
          "--image", registry.address() + "/app", "--insecure-registry");
      assertEquals(0, ready.exitCode(), ready.toString());
      assertTrue(ready.stdout().contains("✓ pipeline   "), ready.stdout());
      assertTrue(ready.stdout().contains("✓ registry   " + registry.address() + "/app: reachable, credentials accepted for reading"), ready.stdout());
      assertTrue(ready.stdout().matches("(?s).*✓ tool       stage 'lint': sh \\[.*\\] \\(/.*/sh\\).*"), ready.stdout());
      assertEquals(List.of(), registry.tags("app"), "check writes nothing");

      Path missingTool = project("missing", "  - {name: lint, uses: exec, with: {command: [no-such-linter-4711]}}\n");
      Cli.Result missing = Cli.run(work, "check", "--project", missingTool.toString(), "--key", TestKeys.key(signer).toString(),
          "--image", registry.address() + "/app", "--insecure-registry", "--json");
      assertEquals(3, missing.exitCode(), missing.toString());
      JsonNode items = Json.parse(missing.stdout().getBytes(StandardCharsets.UTF_8)).get("items");
      assertTrue(items.toString().contains("{\"name\":\"tool\",\"status\":\"unavailable\",\"detail\":\"stage 'lint': no-such-linter-4711 not found on PATH\"}"),
          items.toString());

      Path invalid = project("invalid", "  - {name: lint, uses: exec}\n");
      Cli.Result refused = Cli.run(work, "check", "--project", invalid.toString(), "--key", TestKeys.key(signer).toString(),
          "--image", registry.address() + "/app", "--insecure-registry");
      assertEquals(2, refused.exitCode(), refused.toString());
      assertTrue(refused.stdout().contains("✗ pipeline   "), refused.stdout());
    } finally {
      registry.stop();
    }
  }

  @Test
  void quietSaysOnlyWhatNeedsAttention() {
    Path project = project("quiet", "  - {name: a, uses: exec, with: {command: [echo, hello-from-the-command]}}\n"
        + "  - {name: b, uses: exec, with: {command: [sh, -c, \"exit 4\"]}}\n");
    Cli.Result quiet = Cli.run(work, "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(),
        "--version", "1.0.0", "--evidence", work.resolve("quiet-evidence").toString(), "-q");
    assertEquals(1, quiet.exitCode(), quiet.toString());
    assertFalse(quiet.stderr().contains("hello-from-the-command") || quiet.stderr().contains("[1/2]") || quiet.stderr().contains("✓ a passed"),
        "no progress, no command output, no passed stage: " + quiet.stderr());
    assertTrue(quiet.stderr().contains("✗ b rejected"), quiet.stderr());
    assertTrue(quiet.stderr().contains("REJECTED"), quiet.stderr());

    Cli.Result both = Cli.run(work, "release", "--project", project.toString(), "--key", TestKeys.key(signer).toString(), "-q", "-v");
    assertEquals(2, both.exitCode(), both.toString());
  }
}
