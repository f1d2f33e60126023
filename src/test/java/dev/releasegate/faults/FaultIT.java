package dev.releasegate.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Json;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.stages.trivy.TrivyDouble;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.Fixtures;
import dev.releasegate.testing.FlakyProxy;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Load and faults against a real registry, through the packaged CLI as users run it. */
class FaultIT {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;
  static String base;
  static Path template;

  @TempDir Path work;

  /** The example, compiled once: parallel releases then only assemble and push. */
  @BeforeAll
  static void setUp() throws Exception {
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
    template = Examples.builtHelloService(shared.resolve("template"));
  }

  private static final String PREBUILT = "  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}\n";

  /** A copy of the compiled template in its own repository; {@code change} alters one resource, so the digest differs. */
  private Path project(String name, String change) throws IOException {
    Path project = TestRepos.copyBuilt(template, work.resolve(name), Map.of());
    if (change != null) {
      Files.writeString(project.resolve("target/classes/change.txt"), change);
      TestRepos.commit(project, "src/main/resources/change.txt", change, "change");
    }
    return project;
  }

  private Path pipeline(String stages) throws IOException {
    return Files.writeString(work.resolve("pipeline-" + Integer.toHexString(stages.hashCode()) + ".yaml"),
        "apiVersion: releasegate/v1\nstages:\n" + stages);
  }

  private static String[] release(Path project, Path pipeline, String repository, String version, Path evidence, String... more) {
    List<String> args = new ArrayList<>(List.of("release", "--project", project.toString(), "--pipeline", pipeline.toString(),
        "--image", repository, "--base", base, "--insecure-registry", "--version", version, "--key", TestKeys.key(signer).toString(),
        "--evidence", evidence.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void eightParallelReleasesOfEightVersionsAllSucceed() throws Exception {
    Path pipeline = pipeline(PREBUILT + "  - {name: push, uses: push, with: {tags: [\"{version}\", \"{gitShortSha}\"]}}\n");
    String repository = registry.address() + "/parallel";
    List<Path> projects = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      projects.add(project("parallel-" + i, "release " + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Cli.Result>> runs = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      Path project = projects.get(i - 1);
      String version = "1.0." + i;
      Path evidence = work.resolve("e" + i);
      runs.add(pool.submit(() -> Cli.run(work, release(project, pipeline, repository, version, evidence, "--json"))));
    }
    List<String> digests = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      Cli.Result result = runs.get(i - 1).get();
      assertEquals(0, result.exitCode(), result.toString());
      String digest = Json.parse(result.stdout().getBytes(StandardCharsets.UTF_8)).get("digest").asText();
      digests.add(digest);
      assertEquals(digest, registry.manifestDigest("parallel", "1.0." + i).orElseThrow(), "1.0." + i + " names its own release");
      String shortSha = dev.releasegate.git.GitFactsReader.read(projects.get(i - 1)).shortCommit();
      assertEquals(digest, registry.manifestDigest("parallel", shortSha).orElseThrow(), shortSha + " names its own release");
    }
    pool.shutdown();
    assertEquals(8, digests.stream().distinct().count(), "eight commits, eight digests: " + digests);
    List<String> tags = registry.tags("parallel");
    assertEquals(16, tags.stream().filter(tag -> !tag.startsWith("sha256-")).count(), "a version and a short sha for each: " + tags);
    for (String digest : digests) {
      String prefix = digest.replace(':', '-');
      assertTrue(tags.contains(prefix + ".att") && tags.contains(prefix), "each release attached its verdict and evidence: " + tags);
    }
  }

  @Test
  void twoReleasesRacingForOneTagExactlyOneWins() throws Exception {
    Path first = project("racer-a", "a");
    Path second = project("racer-b", "b");
    Path pipeline = pipeline(PREBUILT + "  - {name: push, uses: push, with: {tags: [\"{version}\"]}}\n");
    String repository = registry.address() + "/race";
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<Cli.Result> a = pool.submit(() -> Cli.run(work, release(first, pipeline, repository, "9.9.9", work.resolve("ea"), "--json")));
    Future<Cli.Result> b = pool.submit(() -> Cli.run(work, release(second, pipeline, repository, "9.9.9", work.resolve("eb"), "--json")));
    Cli.Result ra = a.get();
    Cli.Result rb = b.get();
    pool.shutdown();
    List<Integer> codes = new ArrayList<>(List.of(ra.exitCode(), rb.exitCode()));
    codes.sort(null);
    assertEquals(List.of(0, 1), codes, ra + "\n" + rb);
    Cli.Result winner = ra.exitCode() == 0 ? ra : rb;
    String winnerDigest = Json.parse(winner.stdout().getBytes(StandardCharsets.UTF_8)).get("digest").asText();
    assertEquals(winnerDigest, registry.manifestDigest("race", "9.9.9").orElseThrow(), "the tag names the winner");
    Cli.Result loser = ra.exitCode() == 1 ? ra : rb;
    assertTrue(loser.stderr().contains("tag " + repository + ":9.9.9 points to " + winnerDigest), loser.stderr());
  }

  @Test
  void secretsNeverLeave() throws Exception {
    String registryPassword = "registry-pass-97531";
    Path project = project("secrets", null);
    TrivyDouble trivy = TrivyDouble.install(work.resolve("trivy"));
    Map<String, String> environment = new HashMap<>(trivy.environment(Fixtures.file("trivy/sl-micro-rancher5.4-novulns.json")));
    environment.put("RELEASEGATE_REGISTRY_USERNAME", "releaser");
    environment.put("RELEASEGATE_REGISTRY_PASSWORD", registryPassword);
    Path pipeline = pipeline(PREBUILT
        + "  - {name: sbom, uses: cyclonedx}\n  - {name: scan, uses: trivy}\n  - {name: lint, uses: readiness}\n"
        + "  - {name: echo, uses: exec, with: {command: [sh, -c, \"echo $COSIGN_PASSWORD $RELEASEGATE_REGISTRY_PASSWORD; env\"]}}\n"
        + "  - {name: sign, uses: sign}\n  - {name: verify, uses: verify}\n  - {name: push, uses: push}\n");
    Path evidence = work.resolve("evidence");
    Cli.Result result = Cli.run(environment, work, release(project, pipeline, registry.address() + "/secrets", "1.0.0", evidence, "--json"));
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(Files.exists(evidence.resolve("artifacts/scan/trivy.sarif")), "the SARIF output exists and is checked below");

    for (String secret : List.of(TestKeys.PASSWORD, registryPassword)) {
      assertFalse(result.stdout().contains(secret), "stdout leaks a secret");
      assertFalse(result.stderr().contains(secret), "stderr leaks a secret");
      try (Stream<Path> files = Files.walk(evidence)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          assertFalse(content.contains(secret), file + " leaks a secret");
          if (file.toString().endsWith(".dsse.json")) {
            String payload = new String(DsseEnvelope.parse(Files.readAllBytes(file)).payload(), StandardCharsets.UTF_8);
            assertFalse(payload.contains(secret), file + " payload leaks a secret");
          }
        }
      }
      String digest = Json.parse(result.stdout().getBytes(StandardCharsets.UTF_8)).get("digest").asText();
      byte[] manifest = registry.manifest("secrets", digest).orElseThrow();
      String config = new String(registry.blob("secrets", Json.parse(manifest).at("/config/digest").asText()).orElseThrow(), StandardCharsets.UTF_8);
      assertFalse(config.contains(secret), "the image config (labels, env) leaks a secret");
    }
  }

  @Test
  void registryKilledMidUploadThenResumeCompletesWithTheSameDigest() throws Exception {
    LocalRegistry target = new LocalRegistry();
    target.start();
    try {
      Path project = project("large", null);
      // A large resource (random, so gzip cannot shrink it) makes the upload take long enough to be cut.
      byte[] chunk = new byte[1 << 20];
      new java.util.Random(7).nextBytes(chunk);
      try (var out = Files.newOutputStream(project.resolve("target/classes/large.bin"))) {
        for (int i = 0; i < 300; i++) {
          out.write(chunk);
        }
      }
      Path pipeline = pipeline(PREBUILT + "  - {name: push, uses: push}\n");
      String repository = target.address() + "/large";
      Path evidence = work.resolve("evidence");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      Future<Cli.Result> first = pool.submit(() -> Cli.run(work, release(project, pipeline, repository, "1.0.0", evidence)));
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
      while (target.requests("PATCH", "/v2/large/blobs/uploads/.*").isEmpty() && target.requests("PUT", "/v2/large/blobs/uploads/.*").isEmpty()
          && !first.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      target.stop();
      Cli.Result failed = first.get();
      pool.shutdown();
      assertEquals(3, failed.exitCode(), failed.toString());
      assertTrue(failed.stderr().contains("cannot reach registry " + target.address()), failed.stderr());
      java.util.regex.Matcher pushed = java.util.regex.Pattern.compile("pushing " + java.util.regex.Pattern.quote(repository) + "@(sha256:[0-9a-f]{64})")
          .matcher(failed.stderr());
      assertTrue(pushed.find(), failed.stderr());
      String digest = pushed.group(1);

      target.start();
      assertEquals(List.of(), target.tags("large"), "no tag from the cut release");
      Cli.Result resumed = Cli.run(work, release(project, pipeline, repository, "1.0.0", evidence, "--resume", "--json"));
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertEquals(digest, Json.parse(resumed.stdout().getBytes(StandardCharsets.UTF_8)).get("digest").asText(), "the same digest");
      assertEquals(digest, target.manifestDigest("large", "1.0.0").orElseThrow());
      assertEquals(0, Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString()).exitCode());
    } finally {
      target.stop();
    }
  }

  @Test
  void serverErrorsDuringAReleaseAreRetried() throws Exception {
    Path project = project("flaky", null);
    Path pipeline = pipeline(PREBUILT + "  - {name: push, uses: push}\n");
    try (FlakyProxy proxy = new FlakyProxy(registry.address(), line -> line.startsWith("POST /v2/flaky/blobs/uploads"), 3, 503)) {
      Cli.Result result = Cli.run(work, release(project, pipeline, proxy.address() + "/flaky", "1.0.0", work.resolve("e")));
      assertEquals(0, result.exitCode(), result.toString());
      assertTrue(result.stderr().contains("(HTTP 503); retry 1/4"), result.stderr());
      assertTrue(proxy.count(line -> line.startsWith("POST /v2/flaky/blobs/uploads")) > 3, proxy.seen().toString());
    }
    assertTrue(registry.manifestDigest("flaky", "1.0.0").isPresent());
  }
}
