package dev.releasegate.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Peers;
import dev.releasegate.testing.Podman;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release --dry-run} with the real example, trivy, podman and docker-registry: every gate runs on
 * the image the build kept in an OCI layout, nothing reaches the registry, the evidence never verifies as
 * a release, and the digest is the one a real release of the same commit pushes.
 */
class DryRunIT {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;
  static String base;
  static Path template;
  static Path trivyCache;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    assumeTrue(Podman.available(), "podman is not installed");
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
    template = Examples.builtHelloService(shared.resolve("template"));
    trivyCache = Peers.trivyCache(shared.resolve("trivy-cache"), null);
  }

  @AfterEach
  void noContainerOfOursIsLeft() {
    assertEquals(List.of(), Podman.psAll().stream().filter(container -> container.names().stream().anyMatch(name -> name.startsWith("releasegate-smoke-"))).toList(),
        "containers left behind");
  }

  /** Every gate of the example, the scan offline, then the example's publishers. */
  private static String pipeline(String scanOptions) {
    return "apiVersion: releasegate/v1\nstages:\n"
        + "  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes], ports: [\"8080\"]}}\n"
        + "  - {name: sbom, uses: cyclonedx}\n"
        + "  - {name: scan, uses: trivy, with: {cacheDir: " + trivyCache + ", skipDbUpdate: true, skipJavaDbUpdate: true, offlineScan: true"
        + scanOptions + "}}\n"
        + "  - {name: lint, uses: readiness, with: {maxImageMb: 200, tags: [\"{version}\", \"{gitShortSha}\"]}}\n"
        + "  - {name: smoke, uses: smoke, with: {port: 8080, probes: [/healthz, {path: /readyz, jsonPath: /status, equals: ready}]}}\n"
        + "  - {name: sign, uses: sign}\n  - {name: verify, uses: verify}\n"
        + "  - {name: push, uses: push, with: {tags: [\"{version}\", \"{gitShortSha}\"]}}\n";
  }

  private static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("CONTAINERS_CONF", Podman.containersConf().toString());
    environment.put("PATH", Peers.pathWithTrivy());
    return environment;
  }

  private Cli.Result release(Path project, String repository, Path evidence, String... more) {
    List<String> args = new ArrayList<>(List.of("release", "--project", project.toString(), "--image", registry.address() + "/" + repository,
        "--base", base, "--insecure-registry", "--version", "1.0.0", "--evidence", evidence.toString(), "--json"));
    args.addAll(List.of(more));
    return Cli.run(environment(), work, args.toArray(String[]::new));
  }

  private void nothingWrittenTo(String repository) {
    for (String method : List.of("PUT", "POST", "PATCH", "DELETE")) {
      assertEquals(List.of(), registry.requests(method, "^/v2/" + repository + "/"), method + " to " + repository);
    }
    assertEquals(List.of(), registry.tags(repository));
  }

  private static Map<String, String> statuses(JsonNode run) {
    Map<String, String> statuses = new HashMap<>();
    run.get("stages").forEach(stage -> statuses.put(stage.get("name").asText(), stage.get("status").asText()));
    return statuses;
  }

  @Test
  void everyGateRunsOnTheKeptImageNothingReachesTheRegistryAndARealReleasePushesTheSameDigest() throws IOException {
    Path project = TestRepos.copyBuilt(template, work.resolve("project"), Map.of("releasegate.yaml", pipeline(", ignoreUnfixed: true")));
    // Capitals in the path, as mktemp makes them: podman names a layout's image after its path, which must be lowercase.
    Path evidence = work.resolve("Dry-Run");

    Cli.Result dryRun = release(project, "dry", evidence, "--dry-run");

    assertEquals(0, dryRun.exitCode(), dryRun.toString());
    JsonNode run = Json.parse(dryRun.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("dry-run", run.get("status").asText());
    String digest = run.get("digest").asText();
    assertEquals(Map.of("build", "passed", "sbom", "passed", "scan", "passed", "lint", "passed", "smoke", "passed",
        "sign", "skipped", "verify", "skipped", "push", "skipped"), statuses(run));
    Path layout = work.resolve("Dry-Run-image");
    assertEquals(layout.toString(), run.get("imageLayout").asText());
    assertEquals(digest, Json.parse(Files.readAllBytes(layout.resolve("index.json"))).at("/manifests/0/digest").asText());
    assertTrue(dryRun.stderr().contains("DRY RUN: every gate passed for " + registry.address() + "/dry@" + digest
        + "; nothing was pushed, tagged or signed"), dryRun.stderr());
    nothingWrittenTo("dry");

    // The gates looked at the kept image itself: trivy found the base image's packages, the smoke test ran it.
    String findings = Files.readString(evidence.resolve("artifacts/scan/trivy.json"));
    assertTrue(findings.contains("CVE-2023-45853"), "trivy read the layout's layers");
    JsonNode smoke = Json.parse(dev.releasegate.evidence.DsseEnvelope.parse(Files.readAllBytes(evidence.resolve(
        run.get("stages").get(4).get("statement").asText()))).payload()).get("predicate");
    assertEquals(registry.address() + "/dry@" + digest, smoke.get("image").asText());

    Cli.Result ownKey = Cli.run(work, "verify-evidence", evidence.toString(), "--key", evidence.resolve("signer.pub").toString());
    assertEquals(1, ownKey.exitCode(), ownKey.toString());
    assertTrue(ownKey.stdout().contains("dry-run"), "authentic, and a dry run: " + ownKey.stdout());
    Cli.Result releaseKey = Cli.run(work, "verify-evidence", evidence.toString(), "--key", TestKeys.pub(signer).toString());
    assertEquals(1, releaseKey.exitCode(), "not signed by the release key: " + releaseKey);

    Cli.Result real = release(project, "dry", work.resolve("real-evidence"), "--key", TestKeys.key(signer).toString(), "--skip", "scan",
        "--skip", "smoke");
    assertEquals(0, real.exitCode(), real.toString());
    assertEquals(digest, Json.parse(real.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8)).get("digest").asText(),
        "the dry run built the bytes a release of the same commit pushes");
  }

  @Test
  void aGateRejectsADryRunAsItWouldRejectTheRelease() throws IOException {
    Path project = TestRepos.copyBuilt(template, work.resolve("project"), Map.of("releasegate.yaml", pipeline("")));

    Cli.Result dryRun = release(project, "rejected-dry", work.resolve("evidence"), "--dry-run");

    assertEquals(1, dryRun.exitCode(), dryRun.toString());
    JsonNode run = Json.parse(dryRun.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("rejected", run.get("status").asText());
    assertTrue(run.get("stages").get(2).get("reason").asText().equals("1 blocking vulnerability (failOn CRITICAL): CVE-2023-45853 zlib1g"),
        run.toString());
    nothingWrittenTo("rejected-dry");
  }
}
