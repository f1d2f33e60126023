package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.spi.StageResult;
import dev.releasegate.testing.FakeStageContext;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import dev.releasegate.testplugin.FakeImageStageFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke stage without a container engine: a missing runtime and a runtime that cannot work, with the
 * stage run directly against a fake context, and the whole flow in a release against a runtime double
 * (src/test/resources/smoke/runtime-double.sh) whose container exits at once. The real runtime is
 * exercised by SmokeIT.
 */
class SmokeStageTest {
  private static final String IMAGE = "127.0.0.1:5000/hello@" + FakeImageStageFactory.DIGEST;
  private static final String SECRET = "tok-4f1c9a7e2b";

  @TempDir static Path keys;
  static Path signer;

  @TempDir Path work;
  Path project;
  Path double_;
  Path calls;
  List<ReleaseEvent> events = List.of();

  @BeforeAll
  static void keys() {
    signer = TestKeys.write(keys, "signer");
  }

  @BeforeEach
  void setUp() throws IOException {
    project = TestRepos.create(work.resolve("project"), Map.of("README.md", "service\n"));
    double_ = work.resolve("bin/podman");
    Files.createDirectories(double_.getParent());
    try (InputStream in = SmokeStageTest.class.getResourceAsStream("/smoke/runtime-double.sh")) {
      Files.write(double_, in.readAllBytes());
    }
    assertTrue(double_.toFile().setExecutable(true));
    calls = work.resolve("calls.log");
  }

  private Map<String, String> environment(String mode) {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("SMOKE_DOUBLE_LOG", calls.toString());
    environment.put("SMOKE_DOUBLE_MODE", mode);
    environment.put("HOST_TOKEN", SECRET);
    return environment;
  }

  private ReleaseResult release(String with, Map<String, String> environment) throws IOException {
    return release(with, environment, "evidence");
  }

  private ReleaseResult release(String with, Map<String, String> environment, String evidence) throws IOException {
    Path pipeline = work.resolve("pipeline.yaml");
    Files.writeString(pipeline, "apiVersion: releasegate/v1\nimage: {repository: 127.0.0.1:5000/hello}\nstages:\n"
        + "  - {name: build, uses: fake-image}\n  - {name: smoke, uses: smoke, with: " + with + "}\n");
    Releases.Run run = Releases.run(Releases.request(project, signer, work.resolve(evidence)).pipelineFile(pipeline)
        .insecureRegistry(true).environment(environment).build());
    events = run.events();
    return run.result();
  }

  private String withDouble(String more) {
    return "{runtime: podman, runtimePath: " + double_ + ", secretEnv: {API_TOKEN: HOST_TOKEN}" + more + "}";
  }

  private static StageEntry smoke(ReleaseResult result) {
    StageEntry smoke = result.stages().get(1);
    assertEquals("smoke", smoke.name());
    return smoke;
  }

  private List<String> calls() throws IOException {
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  // Faults, with the stage constructed directly against a fake context: no release around it.

  /** The smoke stage, after a stage that publishes the image, run against a context with {@code environment}. */
  private StageResult smoke(String with, Map<String, String> environment) throws InterruptedException, IOException {
    FakeStageContext context = new FakeStageContext(project, Files.createTempDirectory(work, "bundle")).stageName("smoke")
        .image(new ImageReference("127.0.0.1:5000/hello", FakeImageStageFactory.DIGEST), true)
        .environment(environment);
    return FakeStageContext.stage(work.resolve("pipeline"), "{name: build, uses: fake-image}", "{name: smoke, uses: smoke, with: " + with + "}")
        .run(context);
  }

  @Test
  void noRuntimeOnPathFailsAsEnvironmentNamingWhatWasLookedFor() throws IOException {
    Map<String, String> environment = environment("");
    environment.put("PATH", Files.createDirectories(work.resolve("empty-bin")).toString());
    EnvironmentException none = assertThrows(EnvironmentException.class, () -> smoke("{}", environment));
    assertEquals("no container runtime found: looked for podman and docker on PATH; install one or set with.runtime and with.runtimePath",
        none.getMessage());

    EnvironmentException docker = assertThrows(EnvironmentException.class, () -> smoke("{runtime: docker}", environment));
    assertEquals("docker not found on PATH; install it or set with.runtimePath", docker.getMessage());
  }

  @Test
  void runtimePathThatIsNotAnExecutableIsNamed() {
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> smoke("{runtime: podman, runtimePath: bin/nothing}", environment("")));
    assertEquals("podman not found at " + project.toAbsolutePath().resolve("bin/nothing") + " (with.runtimePath)", e.getMessage());
  }

  @Test
  void runtimeThatCannotReachItsEngineFailsAsEnvironment() throws IOException {
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> smoke(withDouble(""), environment("no-engine")));
    assertEquals("podman version failed: Error: unable to connect to Podman socket", e.getMessage());
    // The failed pull is not what is reported: the runtime's failure to answer at all explains it.
    assertTrue(calls().containsAll(List.of("version --format json", "pull --quiet --tls-verify=false " + IMAGE)), calls().toString());
    assertTrue(calls().stream().noneMatch(call -> call.startsWith("run ")), calls().toString());
  }

  @Test
  void pullFailureFailsAsEnvironmentAndPlainHttpIsOnlyForLoopback() throws IOException {
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> smoke(withDouble(""), environment("no-image")));
    assertEquals("podman cannot pull " + IMAGE + ": Error: initializing source: reading manifest: manifest unknown", e.getMessage());
    // The version is asked for beside the image lookup and the pull, in any order; nothing follows a failed pull.
    assertEquals(List.of("image inspect --format {{.Id}} " + IMAGE, "pull --quiet --tls-verify=false " + IMAGE, "version --format json"),
        calls().stream().sorted().toList());
  }

  @Test
  void secretEnvWhoseHostVariableIsMissingFailsBeforeTheRuntimeIsAsked() throws IOException {
    Map<String, String> environment = environment("");
    environment.remove("HOST_TOKEN");
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> smoke(withDouble(""), environment));
    assertEquals("secretEnv API_TOKEN: environment variable HOST_TOKEN is not set", e.getMessage());
    assertEquals(List.of(), calls());
  }

  @Test
  void containerThatExitsAtOnceIsRejectedRecordedAndRemoved() throws IOException {
    ReleaseResult result = release(withDouble(", env: {MODE: test}, memory: 1g"), environment(""));
    StageEntry smoke = smoke(result);
    assertEquals(ReleaseStatus.REJECTED, result.status(), String.valueOf(smoke.reason()));
    assertTrue(smoke.reason().orElseThrow().startsWith("3 of 5 checks failed, 1 not run: readiness (container exited with 3 after "),
        smoke.reason().orElseThrow());

    List<String> calls = calls();
    String name = calls.stream().filter(call -> call.startsWith("rm -f ")).findFirst().orElseThrow().substring(6);
    assertTrue(name.startsWith("releasegate-smoke-"), name);
    String run = calls.stream().filter(call -> call.startsWith("run ")).findFirst().orElseThrow();
    assertTrue(run.startsWith("run -d --name " + name + " --label dev.releasegate.run="), run);
    assertTrue(run.contains(" --memory 1g --cpus 1 -p 127.0.0.1:"), run);
    assertTrue(run.endsWith(":8080 --env MODE=test --env API_TOKEN " + IMAGE), "the image runs by digest: " + run);
    // The secret reached the runtime through its environment, and only there.
    assertTrue(calls.contains("env API_TOKEN=" + SECRET), calls.toString());
    assertTrue(calls.contains("env HOST_TOKEN=unset"), "the host variable is not the runtime's business: " + calls);
    assertFalse(run.contains(SECRET), run);
    assertEquals("rm -f " + name, calls.get(calls.size() - 1), "the container is removed last");
    assertTrue(calls.contains("stop -t 10 " + name), calls.toString());
    assertTrue(calls.contains("logs " + name), calls.toString());

    JsonNode predicate = predicate();
    assertEquals(IMAGE, predicate.get("image").asText());
    assertEquals("4.3.1-double", predicate.at("/runtime/version").asText());
    assertEquals(double_.toString(), predicate.at("/runtime/path").asText());
    assertEquals("0123456789abcdef", predicate.at("/container/id").asText());
    assertEquals("[{\"option\":\"memory\",\"default\":\"512m\",\"value\":\"1g\"}]", predicate.get("overrides").toString());
    assertEquals("from HOST_TOKEN", predicate.at("/secretEnv/API_TOKEN").asText());
    List<String> results = new java.util.ArrayList<>();
    predicate.get("checks").forEach(check -> results.add(check.get("name").asText() + "=" + check.get("result").asText()));
    assertEquals(List.of("readiness=failed", "startup=failed", "version=not run", "nonRoot=passed", "gracefulStop=failed"), results);
    assertEquals("configured user '65532' (process not measured)", predicate.at("/checks/3/measured").asText());
    assertEquals("Config.User", predicate.at("/checks/3/source").asText());
    assertEquals("had exited with 3 before SIGTERM", predicate.at("/checks/4/measured").asText());

    // Logs: the two streams apart, each named by digest, and the plain-text line noticed.
    Path artifacts = work.resolve("evidence/artifacts/smoke");
    assertEquals("{\"level\":\"INFO\",\"msg\":\"started\"}\n{\"level\":\"INFO\",\"msg\":\"configured\",\"token\":\"***\"}\n",
        Files.readString(artifacts.resolve("stdout.log")), "the secret the service logged is redacted");
    assertEquals("Exception in thread \"main\" java.lang.IllegalStateException: boom\n", Files.readString(artifacts.resolve("stderr.log")));
    assertEquals(dev.releasegate.base.Digests.sha256Hex(artifacts.resolve("stderr.log")), predicate.at("/logs/stderr/digest/sha256").asText());
    assertEquals(1, predicate.at("/logs/stderr/nonJsonLines").asInt());
    assertTrue(smoke.warnings().contains("1 of 3 container log lines are not JSON (first: stderr line 1)"), smoke.warnings().toString());
    assertTrue(smoke.warnings().contains("memory 1g overrides the hardened default 512m"), smoke.warnings().toString());
  }

  private JsonNode predicate() throws IOException {
    Path envelope = work.resolve("evidence/statements/02-smoke.dsse.json");
    JsonNode statement = Json.parse(DsseEnvelope.parse(Files.readAllBytes(envelope)).payload());
    assertEquals(SmokeStageFactory.PREDICATE_TYPE, statement.get("predicateType").asText());
    assertEquals(FakeImageStageFactory.DIGEST.substring(7), statement.at("/subject/0/digest/sha256").asText());
    return statement.get("predicate");
  }

  @Test
  void secretValueAppearsNowhereInTheBundleOrTheEvents() throws IOException {
    release(withDouble(""), environment(""));
    assertTrue(Files.readString(work.resolve("evidence/artifacts/smoke/stdout.log")).contains("\"token\":\"***\""),
        "the double logged the secret, so redaction had something to do");
    assertFalse(events.isEmpty());
    events.forEach(event -> assertFalse(event.toString().contains(SECRET), event.toString()));
    try (var files = Files.walk(work.resolve("evidence"))) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] bytes = Files.readAllBytes(file);
        String text = file.toString().endsWith(".dsse.json")
            ? new String(DsseEnvelope.parse(bytes).payload(), StandardCharsets.UTF_8)
            : new String(bytes, StandardCharsets.UTF_8);
        assertFalse(text.contains(SECRET), file.toString());
      }
    }
  }
}
