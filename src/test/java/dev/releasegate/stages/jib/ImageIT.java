package dev.releasegate.stages.jib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.ReleaseRequest;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Podman;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The jib and push stages against a real registry, with the real example service. */
class ImageIT {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;
  static String base;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
  }

  /**
   * These tests count the image's uploads and tags; the verdict and evidence a released run attaches
   * are left out here and tested in ReleasedMeansReleasedIT.
   */
  private Path pipeline(String stages) throws IOException {
    Path file = work.resolve("pipeline-" + Integer.toHexString(stages.hashCode()) + ".yaml");
    Files.writeString(file, "apiVersion: releasegate/v1\nattach: {verdict: false, evidence: false}\nstages:\n" + stages);
    return file;
  }

  private static final String BUILD_AND_PUSH = "  - {name: build, uses: jib}\n  - {name: push, uses: push}\n";

  private ReleaseRequest.Builder request(Path project, String repository, Path pipeline, String evidence) {
    return Releases.request(project, signer, work.resolve(evidence))
        .imageRepository(repository)
        .baseImage(base)
        .insecureRegistry(true)
        .pipelineFile(pipeline);
  }

  private String repository(String name) {
    return registry.address() + "/" + name;
  }

  @Test
  void releaseIsLabelledReproducibleIdempotentAndImmutable() throws Exception {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    String repository = repository("hello");
    ReleaseResult first = Releases.run(request(project, repository, pipeline(BUILD_AND_PUSH), "e1").version("1.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, first.status(), first.stages().toString());
    String digest = first.digest().orElseThrow();
    String shortSha = git(project, "rev-parse", "--short=7", "HEAD");
    assertEquals(List.of("1.0.0", shortSha), first.tags());
    assertEquals(digest, registry.manifestDigest("hello", "1.0.0").orElseThrow());
    assertEquals(digest, registry.manifestDigest("hello", shortSha).orElseThrow());

    // Labels come from git, and the creation time is the commit time.
    JsonNode config = config("hello", digest);
    JsonNode labels = config.at("/config/Labels");
    assertEquals(git(project, "rev-parse", "HEAD"), labels.get("org.opencontainers.image.revision").asText());
    assertEquals("https://example.test/acme/service.git", labels.get("org.opencontainers.image.source").asText());
    assertEquals(TestRepos.COMMIT_TIME.toString(), labels.get("org.opencontainers.image.created").asText());
    assertEquals(TestRepos.COMMIT_TIME.toString(), config.get("created").asText());
    assertEquals("1.0.0", labels.get("org.opencontainers.image.version").asText());
    assertEquals("hello", labels.get("org.opencontainers.image.title").asText());
    assertEquals(base.substring(base.indexOf('@') + 1), labels.get("org.opencontainers.image.base.digest").asText());
    assertEquals("65532", config.at("/config/User").asText());
    assertEquals("java", config.at("/config/Entrypoint/0").asText());
    assertTrue(config.at("/config/Entrypoint").toString().contains("-XX:MaxRAMPercentage=75.0"));
    assertTrue(config.at("/config/Entrypoint").toString().contains("dev.releasegate.examples.hello.HelloService"));
    assertTrue(config.at("/config/ExposedPorts").has("8080/tcp"));
    assertTrue(config.at("/config/Env").toString().contains("RELEASE_REVISION=" + git(project, "rev-parse", "HEAD")));

    // The build statement is SLSA provenance about the digest, resolving the commit and the base.
    JsonNode provenance = statement(work.resolve("e1"), "statements/01-build.dsse.json");
    assertEquals("https://slsa.dev/provenance/v1", provenance.get("predicateType").asText());
    assertEquals(digest.substring(7), provenance.at("/subject/0/digest/sha256").asText());
    assertEquals(git(project, "rev-parse", "HEAD"), provenance.at("/predicate/buildDefinition/resolvedDependencies/0/digest/gitCommit").asText());
    assertEquals(base.substring(base.indexOf("@sha256:") + 8), provenance.at("/predicate/buildDefinition/resolvedDependencies/1/digest/sha256").asText());
    assertEquals("created", statement(work.resolve("e1"), "statements/02-push.dsse.json").at("/predicate/tags/0/result").asText());

    // The same commit elsewhere (another clone, another jib cache) gives the same digest; the
    // re-release is idempotent.
    Path clone = work.resolve("clone");
    git(work, "clone", "-q", project.toString(), clone.toString());
    // A clone on another machine has the same origin; the source label comes from it.
    git(clone, "remote", "set-url", "origin", "https://example.test/acme/service.git");
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("XDG_CACHE_HOME", work.resolve("other-cache").toString());
    ReleaseResult again = Releases.run(request(clone, repository, pipeline(BUILD_AND_PUSH), "e2").version("1.0.0")
        .environment(environment).build()).result();
    assertEquals(ReleaseStatus.RELEASED, again.status(), again.stages().toString());
    assertEquals(digest, again.digest().orElseThrow());
    assertEquals("unchanged", statement(work.resolve("e2"), "statements/02-push.dsse.json").at("/predicate/tags/0/result").asText());

    // A different commit under the same version is refused, through the CLI, and nothing moves.
    TestRepos.commit(project, "src/main/resources/extra.txt", "changed\n", "change");
    Cli.Result conflict = Cli.run(work, "release", "--project", project.toString(), "--pipeline", pipeline(BUILD_AND_PUSH).toString(),
        "--image", repository, "--base", base, "--insecure-registry", "--version", "1.0.0",
        "--key", TestKeys.key(signer).toString(), "--evidence", work.resolve("e3").toString());
    assertEquals(1, conflict.exitCode(), conflict.toString());
    assertTrue(conflict.stderr().contains("tag " + repository + ":1.0.0 points to " + digest + ", this release is sha256:"), conflict.stderr());
    assertEquals(digest, registry.manifestDigest("hello", "1.0.0").orElseThrow(), "the tag did not move");
    assertEquals(List.of("1.0.0", shortSha), registry.tags("hello").stream().sorted().toList(),
        "the new commit's short sha was not tagged either: every tag is checked before any is written");
  }

  @Test
  void oneLineChangeUploadsOnlyTheClassesLayerTheConfigAndTheManifests() throws Exception {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    String repository = repository("delta");
    ReleaseResult first = Releases.run(request(project, repository, pipeline(BUILD_AND_PUSH), "e1").version("2.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, first.status(), first.stages().toString());

    // One line of code that compiles into different bytecode.
    Path source = project.resolve("src/main/java/dev/releasegate/examples/hello/HelloServer.java");
    String code = Files.readString(source);
    String changed = code.replace("\"service\", \"hello-service\"", "\"service\", \"hello-service/2\"");
    assertNotEquals(code, changed, "the example has the string constant this test edits");
    // A later commit, as in real life: the commit time must not leak into the unchanged layers.
    TestRepos.commit(project, project.relativize(source).toString(), changed, "one-line change", TestRepos.COMMIT_TIME.plusSeconds(86_400));

    int blobsBefore = registry.requests("POST", "/v2/delta/blobs/uploads/.*").size();
    int manifestsBefore = registry.requests("PUT", "/v2/delta/manifests/.*").size();
    ReleaseResult second = Releases.run(request(project, repository, pipeline(BUILD_AND_PUSH), "e2").version("2.0.1").build()).result();
    assertEquals(ReleaseStatus.RELEASED, second.status(), second.stages().toString());

    assertEquals(2, registry.requests("POST", "/v2/delta/blobs/uploads/.*").size() - blobsBefore, "classes layer and config only");
    assertEquals(3, registry.requests("PUT", "/v2/delta/manifests/.*").size() - manifestsBefore, "by digest, then two tags");
    JsonNode before = Json.parse(registry.manifest("delta", first.digest().orElseThrow()).orElseThrow()).get("layers");
    JsonNode after = Json.parse(registry.manifest("delta", second.digest().orElseThrow()).orElseThrow()).get("layers");
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size() - 1; i++) {
      assertEquals(before.get(i), after.get(i), "layer " + i + " is unchanged");
    }
    assertNotEquals(before.get(before.size() - 1), after.get(after.size() - 1), "the classes layer (last) changed");
  }

  /** The example compiled once, for the tests that only assemble and push (its build command checks the classes are there). */
  private static Path built() {
    Path template = shared.resolve("template");
    return Files.isDirectory(template) ? template : Examples.builtHelloService(template);
  }

  private static final String PREBUILT = "  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}\n";
  private static final Pattern TIMES =
      Pattern.compile("build command \\d+\\.\\d s, containerize \\d+\\.\\d s, push \\d+\\.\\d s \\((\\d+) of (\\d+) blobs uploaded, [\\d.]+ K?M?B\\)");

  /** The jib stage's phase times, from its progress: how many blobs it uploaded, of how many. */
  private static Matcher times(Releases.Run run) {
    List<String> lines = run.events().stream().filter(ReleaseEvent.StageProgress.class::isInstance).map(ReleaseEvent.StageProgress.class::cast)
        .filter(progress -> progress.stage().equals("build")).map(ReleaseEvent.StageProgress::message)
        .filter(message -> message.startsWith("build command ")).toList();
    assertEquals(1, lines.size(), "one line of phase times: " + lines);
    Matcher matcher = TIMES.matcher(lines.get(0));
    assertTrue(matcher.matches(), lines.get(0));
    return matcher;
  }

  @Test
  void theImageIsBuiltOnceItsTarBytesArePushedAndAnUnchangedReReleaseUploadsNoBlob() throws Exception {
    Path project = TestRepos.copyBuilt(built(), work.resolve("hello"), Map.of());
    String repository = repository("once");
    Path pipeline = pipeline(PREBUILT + "  - {name: push, uses: push}\n");
    Releases.Run first = Releases.run(request(project, repository, pipeline, "e1").version("6.0.0").build());
    assertEquals(ReleaseStatus.RELEASED, first.result().status(), first.result().stages().toString());
    String digest = first.result().digest().orElseThrow();

    // One build: jib assembled the image once (it logs the entrypoint each time), and its own
    // registry client never spoke to the target: the stage pushed the tar.
    List<String> assembled = first.events().stream().filter(ReleaseEvent.StageOutput.class::isInstance)
        .map(event -> ((ReleaseEvent.StageOutput) event).line()).filter(line -> line.contains("Container entrypoint set to")).toList();
    assertEquals(1, assembled.size(), assembled.toString());
    List<String> requests = registry.requests(null, "^/v2/once/");
    assertTrue(requests.stream().noneMatch(line -> line.contains("\"jib ")), "jib's own push (its user agent): " + requests);
    JsonNode manifest = Json.parse(registry.manifest("once", digest).orElseThrow());
    int blobs = manifest.get("layers").size() + 1;
    Matcher times = times(first);
    assertEquals(List.of(blobs, blobs), List.of(Integer.parseInt(times.group(1)), Integer.parseInt(times.group(2))),
        "a new repository on another registry than the base's: every blob uploaded");
    assertEquals(blobs, registry.requests("PUT", "^/v2/once/blobs/uploads/").size(), "each blob uploaded once");
    assertEquals(List.of(digest), registry.requests("PUT", "^/v2/once/manifests/sha256:").stream()
        .map(line -> line.replaceAll(".*/manifests/(sha256:[0-9a-f]{64}) .*", "$1")).toList(), "the manifest by its digest, once");

    // The provenance says where the time went, after SLSA's own metadata, which is unchanged.
    JsonNode metadata = statement(work.resolve("e1"), "statements/01-build.dsse.json").at("/predicate/runDetails/metadata");
    assertEquals(List.of("invocationId", "startedOn", "finishedOn", "timings"), fieldNames(metadata));
    assertEquals(List.of("buildCommandMs", "containerizeMs", "pushMs"), fieldNames(metadata.get("timings")));
    assertTrue(metadata.at("/timings/containerizeMs").asLong(-1) >= 0, metadata.toString());

    // The same commit and version again (the version is in the image): the same digest, and every blob is already there.
    int uploadsBefore = registry.requests("POST", "^/v2/once/blobs/uploads/").size();
    Releases.Run again = Releases.run(request(project, repository, pipeline, "e2").version("6.0.0").build());
    assertEquals(ReleaseStatus.RELEASED, again.result().status(), again.result().stages().toString());
    assertEquals(digest, again.result().digest().orElseThrow());
    assertEquals(uploadsBefore, registry.requests("POST", "^/v2/once/blobs/uploads/").size(), "no blob uploaded again");
    assertEquals("0", times(again).group(1));

    // The registry holds the bytes jib wrote into its tar: a dry run of the commit keeps that tar's layout.
    Releases.Run dry = Releases.run(request(project, repository, pipeline, "e3").version("6.0.0").dryRun(true).build());
    assertEquals(ReleaseStatus.DRY_RUN, dry.result().status(), dry.result().stages().toString());
    Path layout = Releasegate.imageLayoutBeside(work.resolve("e3"));
    assertArrayEquals(Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring(7))), registry.manifest("once", digest).orElseThrow());
  }

  @Test
  void onTheBasesRegistryTheBaseLayersAreMountedNotUploaded() throws Exception {
    LocalRegistry baseRegistry = BaseImages.registry();
    String baseRepository = base.substring(baseRegistry.address().length() + 1, base.indexOf('@'));
    int baseLayers = Json.parse(baseRegistry.manifest(baseRepository, base.substring(base.indexOf('@') + 1)).orElseThrow()).get("layers").size();
    Path project = TestRepos.copyBuilt(built(), work.resolve("hello"), Map.of());
    String repository = "mounted-" + ProcessHandle.current().pid();
    Releases.Run run = Releases.run(request(project, baseRegistry.address() + "/" + repository, pipeline(PREBUILT), "e").version("8.0.0").build());
    assertEquals(ReleaseStatus.RELEASED, run.result().status(), run.result().stages().toString());

    List<String> mounted = baseRegistry.requests("POST", "^/v2/" + repository + "/blobs/uploads/\\?mount=sha256:[0-9a-f]{64}&from=" + baseRepository + "$");
    assertEquals(baseLayers, mounted.stream().filter(line -> line.contains("\" 201 ")).count(), mounted.toString());
    Matcher times = times(run);
    int blobs = Integer.parseInt(times.group(2));
    assertEquals(blobs - baseLayers, Integer.parseInt(times.group(1)), "the application's layers and the config: " + times.group());
    assertEquals(blobs - baseLayers, baseRegistry.requests("PUT", "^/v2/" + repository + "/blobs/uploads/").size());
    assertEquals(List.of(), baseRegistry.tags(repository), "a pipeline without a push stage tags nothing");
  }

  @Test
  void aDockerFormatImageIsPushedAsJibsV22ManifestOfItsTar() throws Exception {
    Path project = TestRepos.copyBuilt(built(), work.resolve("hello"), Map.of());
    Path pipeline = pipeline("  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes], format: Docker}}\n"
        + "  - {name: push, uses: push}\n");
    Releases.Run run = Releases.run(request(project, repository("docker"), pipeline, "e").version("7.0.0").build());
    assertEquals(ReleaseStatus.RELEASED, run.result().status(), run.result().stages().toString());
    String digest = run.result().digest().orElseThrow();
    assertEquals(digest, registry.manifestDigest("docker", "7.0.0").orElseThrow());
    JsonNode manifest = Json.parse(registry.manifest("docker", digest).orElseThrow());
    assertEquals("application/vnd.docker.distribution.manifest.v2+json", manifest.get("mediaType").asText());
    assertEquals("application/vnd.docker.container.image.v1+json", manifest.at("/config/mediaType").asText());
    for (JsonNode layer : manifest.get("layers")) {
      assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", layer.get("mediaType").asText());
      assertEquals(layer.get("size").asLong(), registry.blob("docker", layer.get("digest").asText()).orElseThrow().length);
    }
    assertEquals(git(project, "rev-parse", "HEAD"), config("docker", digest).at("/config/Labels/org.opencontainers.image.revision").asText());
    assertEquals(manifest.get("layers").size() + 1, Integer.parseInt(times(run).group(2)));
  }

  @Test
  void pushedImageRunsUnderPodmanAndAnswers() throws Exception {
    assumeTrue(Podman.available(), "podman is not installed");
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    ReleaseResult result = Releases.run(request(project, repository("run"), pipeline(BUILD_AND_PUSH), "e").version("3.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    String image = repository("run") + "@" + result.digest().orElseThrow();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String name = "releasegate-image-it-" + ProcessHandle.current().pid();
    Podman.Result started = Podman.run("run", "-d", "--name", name, "--tls-verify=false", "--read-only", "--cap-drop", "ALL",
        "--security-opt", "no-new-privileges", "-p", "127.0.0.1:" + port + ":8080", image);
    try {
      assertTrue(started.ok(), started.toString());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        try {
          health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (health.statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // still starting
        }
        Thread.sleep(250);
      }
      assertTrue(health != null && health.statusCode() == 200, "healthz did not answer 200: " + Podman.run("logs", name));
      String version = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(version.contains(git(project, "rev-parse", "HEAD")), version);
    } finally {
      Podman.removeContainer(name);
      Podman.removeImage(image);
    }
  }

  @Test
  void gateFailingBetweenBuildAndPushLeavesNoTag() throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    ReleaseResult result = Releases.run(request(project, repository("gated"),
        pipeline("  - {name: build, uses: jib}\n  - {name: gate, uses: exec, with: {command: [\"false\"]}}\n  - {name: push, uses: push}\n"),
        "e").version("4.0.0").build()).result();
    assertEquals(ReleaseStatus.REJECTED, result.status());
    assertTrue(registry.manifestDigest("gated", result.digest().orElseThrow()).isPresent(), "the image exists by digest");
    assertEquals(List.of(), registry.tags("gated"), "but no tag was written");
  }

  @Test
  void registryStoppedBetweenBuildAndPushFailsWithoutTags() throws Exception {
    LocalRegistry target = new LocalRegistry();
    target.start();
    try {
      Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
      Path marker = work.resolve("built");
      Path pipeline = pipeline("  - {name: build, uses: jib}\n"
          + "  - {name: wait, uses: exec, with: {command: [sh, -c, \"touch " + marker + "; while [ -e " + marker + " ]; do sleep 0.1; done\"]}}\n"
          + "  - {name: push, uses: push}\n");
      Thread stopper = new Thread(() -> {
        try {
          while (!Files.exists(marker)) {
            Thread.sleep(100);
          }
          target.stop();
          Files.delete(marker);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      stopper.start();
      ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("e")).imageRepository(target.address() + "/hello")
          .baseImage(base).insecureRegistry(true).pipelineFile(pipeline).version("5.0.0").build()).result();
      stopper.join();

      assertEquals(ReleaseStatus.FAILED, result.status());
      StageEntry push = result.stages().get(2);
      assertEquals(FailureKind.ENVIRONMENT, push.failure().orElseThrow());
      assertTrue(push.reason().orElseThrow().startsWith("cannot reach registry " + target.address()), push.reason().orElseThrow());
      JsonNode verdict = statement(work.resolve("e"), "statements/99-verdict.dsse.json");
      assertEquals("failed", verdict.at("/predicate/run/status").asText());
      target.start();
      assertEquals(List.of(), target.tags("hello"), "no tag was written");
    } finally {
      target.stop();
    }
  }

  @Test
  void unreachableRegistryExitsThreeAndNamesIt() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Cli.Result result = Cli.run(work, "release", "--project", project.toString(), "--pipeline", pipeline(BUILD_AND_PUSH).toString(),
        "--image", "127.0.0.1:" + closed + "/hello", "--base", base, "--insecure-registry", "--version", "1",
        "--key", TestKeys.key(signer).toString(), "--evidence", work.resolve("e").toString());
    assertEquals(3, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("cannot reach registry 127.0.0.1:" + closed), result.stderr());
  }

  @Test
  void missingBaseImageFailsNamingIt() throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    String missing = BaseImages.registry().address() + "/base/nope:17";
    ReleaseResult result = Releases.run(request(project, repository("nobase"), pipeline(BUILD_AND_PUSH), "e").baseImage(missing)
        .version("1").build()).result();
    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.ENVIRONMENT, result.stages().get(0).failure().orElseThrow());
    assertEquals("base image " + missing + " not found in registry " + BaseImages.registry().address(),
        result.stages().get(0).reason().orElseThrow());
  }

  @Test
  void projectWithoutMainClassIsInvalidInput() throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    String pom = Files.readString(project.resolve("pom.xml"));
    assertTrue(pom.contains("<mainClass>${main.class}</mainClass>"));
    TestRepos.commit(project, "pom.xml", pom.replace("<mainClass>${main.class}</mainClass>", ""), "no main class");
    ReleaseResult result = Releases.run(request(project, repository("nomain"), pipeline(BUILD_AND_PUSH), "e").version("1").build()).result();
    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.INVALID_INPUT, result.stages().get(0).failure().orElseThrow());
    assertTrue(result.stages().get(0).reason().orElseThrow().startsWith("no main class:"), result.stages().get(0).reason().orElseThrow());
  }

  private JsonNode config(String repository, String digest) throws IOException {
    JsonNode manifest = Json.parse(registry.manifest(repository, digest).orElseThrow());
    return Json.parse(registry.blob(repository, manifest.at("/config/digest").asText()).orElseThrow());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode statement(Path evidence, String path) throws IOException {
    return Json.parse(DsseEnvelope.parse(Files.readAllBytes(evidence.resolve(path))).payload());
  }

  private static String git(Path directory, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, process.waitFor(), out);
    return out;
  }
}
