package dev.releasegate.stages.trivy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.Digests;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.testing.Fixtures;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import dev.releasegate.testplugin.FakeImageStageFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real releases in process: a fake-image stage publishes a digest, the trivy stage runs the test
 * double found first on PATH, which replays a real Trivy report from shared/fixtures/trivy. Each test
 * asserts the outcome that decides the exit code and what the signed statement says.
 */
class TrivyStageTest {
  private static final String REPOSITORY = "127.0.0.1:5000/hello-service";
  private static final String IMAGE = REPOSITORY + "@" + FakeImageStageFactory.DIGEST;
  private static final String OTHER_DIGEST = "sha256:" + "ab".repeat(32);

  @TempDir static Path keys;
  static Path signer;
  static Schema sarifSchema;

  @TempDir Path work;
  TrivyDouble trivy;
  /** The pipeline's image.repository, which the fake-image stage publishes with its digest. */
  String repository = REPOSITORY;
  /** The evidence folder of the last release, under {@link #work}. */
  String evidence = "evidence";

  @BeforeAll
  static void keysAndSchema() throws IOException {
    signer = TestKeys.write(keys, "signer");
    try (InputStream in = TrivyStageTest.class.getResourceAsStream("/trivy/sarif-schema-2.1.0.json")) {
      sarifSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(Json.parse(in.readAllBytes()));
    }
  }

  @BeforeEach
  void installDouble() {
    trivy = TrivyDouble.install(work.resolve("double"));
  }

  // ---- gate decisions, one fixture each ----

  @Test
  void alpineCriticalFindingsRejectTheRelease() throws IOException {
    ReleaseResult result = release(project("{}"), env("alpine-39-high-critical.json"));

    assertEquals(ReleaseStatus.REJECTED, result.status());
    StageEntry scan = scan(result);
    assertEquals(FailureKind.REJECTED, scan.failure().orElseThrow());
    assertEquals("2 blocking vulnerabilities (failOn CRITICAL): CVE-2019-14697 musl, CVE-2019-14697 musl-utils",
        scan.reason().orElseThrow());
    assertEquals(List.of(
            "CVE-2019-14697 CRITICAL musl 1.1.20-r4 (fixed in 1.1.20-r5) in testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)",
            "CVE-2019-14697 CRITICAL musl-utils 1.1.20-r4 (fixed in 1.1.20-r5) in testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)"),
        scan.details());

    JsonNode statement = statement();
    assertEquals(TrivyStageFactory.PREDICATE_TYPE, statement.get("predicateType").asText());
    assertEquals(FakeImageStageFactory.DIGEST.substring(7), statement.at("/subject/0/digest/sha256").asText(),
        "the statement is about the image digest");
    JsonNode predicate = statement.get("predicate");
    assertEquals("0.58.1", predicate.at("/scanner/version").asText());
    assertEquals("pkg:github/aquasecurity/trivy@0.58.1", predicate.at("/scanner/uri").asText());
    assertEquals("2", predicate.at("/scanner/db/version").asText());
    assertTrue(predicate.at("/metadata/scanStartedOn").asText().compareTo(predicate.at("/metadata/scanFinishedOn").asText()) <= 0);
    JsonNode scanResult = predicate.at("/scanner/result");
    assertEquals("rejected", scanResult.at("/gate/decision").asText());
    assertEquals(scan.reason().orElseThrow(), scanResult.at("/gate/reason").asText());
    assertEquals(2, scanResult.at("/summary/found/CRITICAL").asInt());
    assertEquals(2, scanResult.at("/summary/afterWaivers/CRITICAL").asInt());
    assertEquals(List.of("musl", "musl-utils"), texts(scanResult.get("blockingFindings"), "package"));
    assertEquals("1.1.20-r5", scanResult.at("/blockingFindings/0/fixedVersion").asText());
    assertEquals(Digests.sha256Hex(artifact("trivy.json")), scanResult.at("/evidence/0/digest/sha256").asText(),
        "the statement names the raw report by digest");
    assertEquals(Files.readString(Fixtures.file("trivy/alpine-39-high-critical.json")), Files.readString(artifact("trivy.json")));

    EvidenceReport verified = Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer), EvidencePolicy.NONE);
    assertTrue(verified.authentic(), verified.problems().toString());
    assertEquals(ReleaseStatus.REJECTED, verified.status().orElseThrow());
  }

  @Test
  void debianCriticalBlocksWhileTheUnfixedLowDoesNot() throws IOException {
    ReleaseResult result = release(project("{failOn: [CRITICAL]}"), env("debian-buster.json"));

    assertEquals(ReleaseStatus.REJECTED, result.status());
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2019-18224 libidn2-0", scan(result).reason().orElseThrow());
    JsonNode summary = result().get("summary");
    assertEquals(1, summary.at("/found/CRITICAL").asInt());
    assertEquals(1, summary.at("/found/LOW").asInt());
    assertEquals(List.of("CVE-2019-18224"), texts(result().get("blockingFindings"), "id"));
  }

  @Test
  void validWaiverPassesTheReleaseAndIsRecorded() throws IOException {
    String waivers = waiver("CVE-2019-18224", "libidn2-0", LocalDate.now(ZoneOffset.UTC).plusYears(1));
    ReleaseResult result = release(project("{waivers: .releasegate/waivers.yaml}", waivers), env("debian-buster.json"));

    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(scan(result).reason()));
    assertEquals(List.of(), scan(result).warnings());
    JsonNode scanResult = result();
    assertEquals("passed", scanResult.at("/gate/decision").asText());
    assertEquals("no blocking vulnerabilities (failOn CRITICAL); found: CRITICAL 1, LOW 1; after waivers: LOW 1",
        scanResult.at("/gate/reason").asText());
    assertEquals(1, scanResult.at("/summary/beforeWaivers/CRITICAL").asInt());
    assertEquals(1, scanResult.at("/summary/waived/CRITICAL").asInt());
    assertEquals(0, scanResult.at("/summary/afterWaivers/CRITICAL").asInt());
    assertEquals("CVE-2019-18224", scanResult.at("/waivers/applied/0/id").asText());
    assertEquals("libidn2-0", scanResult.at("/waivers/applied/0/package").asText());
    assertEquals("no user input reaches it", scanResult.at("/waivers/applied/0/reason").asText());
    assertEquals(1, scanResult.at("/waivers/applied/0/matchedFindings").asInt());
    assertEquals(Digests.sha256Hex(waivers.getBytes(StandardCharsets.UTF_8)), scanResult.at("/policy/waivers/sha256").asText());
    assertEquals(waivers, Files.readString(artifact("waivers.yaml")), "the applied waivers are kept in the evidence");

    JsonNode waived = sarifResult("CVE-2019-18224");
    assertEquals("waiver until " + LocalDate.now(ZoneOffset.UTC).plusYears(1) + ": no user input reaches it",
        waived.at("/suppressions/0/justification").asText());
  }

  @Test
  void expiredWaiverNoLongerAppliesAndIsReported() throws IOException {
    LocalDate expired = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    ReleaseResult result = release(
        project("{waivers: .releasegate/waivers.yaml}", waiver("CVE-2019-18224", "libidn2-0", expired)), env("debian-buster.json"));

    assertEquals(ReleaseStatus.REJECTED, result.status());
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2019-18224 libidn2-0", scan(result).reason().orElseThrow());
    assertEquals(List.of("waiver for CVE-2019-18224 (libidn2-0) expired on " + expired + "; it no longer applies"),
        scan(result).warnings());
    assertEquals(0, result().at("/waivers/applied").size());
    assertEquals(expired.toString(), result().at("/waivers/expired/0/expires").asText());
    assertEquals(1, result().at("/waivers/expired/0/wouldMatchFindings").asInt());
    assertFalse(sarifResult("CVE-2019-18224").has("suppressions"));
  }

  @Test
  void waiverWithoutPackageCoversTheIdInEveryPackage() throws IOException {
    String waivers = "waivers:\n  - {id: CVE-2019-14697, reason: musl is not reachable, expires: \""
        + LocalDate.now(ZoneOffset.UTC).plusDays(30) + "\"}\n";
    ReleaseResult result = release(project("{waivers: .releasegate/waivers.yaml}", waivers), env("alpine-39-high-critical.json"));

    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(scan(result).reason()));
    assertEquals(2, result().at("/waivers/applied/0/matchedFindings").asInt());
  }

  @Test
  void spring4shellFindingNamesTheJarAndTheMavenPackage() throws IOException {
    ReleaseResult result = release(project("{}"), env("spring4shell-jre11.json"));

    assertEquals(ReleaseStatus.REJECTED, result.status());
    String jar = "usr/local/tomcat/webapps/helloworld.war/WEB-INF/lib/spring-beans-5.3.15.jar";
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2022-22965 org.springframework:spring-beans",
        scan(result).reason().orElseThrow());
    assertEquals(List.of("CVE-2022-22965 CRITICAL org.springframework:spring-beans 5.3.15 (fixed in 5.3.18) in " + jar),
        scan(result).details());
    assertEquals(jar, result().at("/blockingFindings/0/pkgPath").asText());
    assertEquals("lang-pkgs", result().at("/blockingFindings/0/class").asText());
    assertEquals(jar, sarifResult("CVE-2022-22965").at("/locations/0/physicalLocation/artifactLocation/uri").asText());
  }

  @Test
  void ignoreUnfixedDropsWillNotFixFindingsWithoutAFix() throws IOException {
    // CentOS 7: CVE-2019-18276 (bash, LOW, will_not_fix, no fixed version) and two fixed openssl ones.
    ReleaseResult strict = release(project("strict", stages("{}", "{failOn: [LOW]}"), Map.of()), env("centos-7.json"), "evidence-strict");
    assertEquals("2 blocking vulnerabilities (failOn LOW): CVE-2019-18276 bash, CVE-2018-0734 openssl-libs",
        scan(strict).reason().orElseThrow());

    ReleaseResult lenient = release(project("lenient", stages("{}", "{failOn: [LOW], ignoreUnfixed: true}"), Map.of()), env("centos-7.json"));
    assertEquals("1 blocking vulnerability (failOn LOW): CVE-2018-0734 openssl-libs", scan(lenient).reason().orElseThrow());
    assertEquals(1, result().at("/summary/ignoredUnfixed/LOW").asInt());
    assertEquals("ignoreUnfixed: no fixed version is available",
        sarifResult("CVE-2019-18276").at("/suppressions/0/justification").asText());
  }

  @Test
  void reportWithoutVulnerabilitiesPasses() throws IOException {
    ReleaseResult result = release(project("{failOn: [CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN]}"), env("sl-micro-rancher5.4-novulns.json"));

    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(scan(result).reason()));
    assertEquals("no blocking vulnerabilities (failOn CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN); found: none; after waivers: none",
        result().at("/gate/reason").asText());
    assertEquals(0, sarif().at("/runs/0/results").size());
  }

  @Test
  void reportWithoutResultsThatDoesNotNameTheDigestFails() throws IOException {
    // The fixture was made from an image tarball: nothing in it says which registry digest it was.
    ReleaseResult result = release(project("{}"), env("alpine-39-skip-noresults.json"));

    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.ENVIRONMENT, scan(result).failure().orElseThrow());
    assertEquals("trivy report has no Results and does not name " + FakeImageStageFactory.DIGEST
            + " (ArtifactName 'testdata/fixtures/images/alpine-39.tar.gz', no matching Metadata.RepoDigests);"
            + " cannot tell that the image was scanned",
        scan(result).reason().orElseThrow());
  }

  @Test
  void reportWithoutResultsPassesWhenItNamesTheDigest() throws IOException {
    ReleaseResult result = release(project("{}"), trivy.environment(skipReportAbout(FakeImageStageFactory.DIGEST)));

    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(scan(result).reason()));
    assertTrue(result().at("/artifact/namesDigest").asBoolean());
    assertFalse(result().at("/artifact/hasResults").asBoolean());
  }

  @Test
  void reportAboutAnotherDigestFails() throws IOException {
    ReleaseResult result = release(project("{}"), trivy.environment(skipReportAbout(OTHER_DIGEST)));

    assertEquals(FailureKind.ENVIRONMENT, scan(result).failure().orElseThrow());
    assertEquals("trivy report is about " + OTHER_DIGEST + ", not " + FakeImageStageFactory.DIGEST, scan(result).reason().orElseThrow());
  }

  // ---- fail closed ----

  @Test
  void garbageReportFailsAndIsKeptAsEvidence() throws IOException {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "garbage");
    ReleaseResult result = release(project("{}"), environment);

    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.ENVIRONMENT, scan(result).failure().orElseThrow());
    assertTrue(scan(result).reason().orElseThrow().startsWith("cannot read trivy report artifacts/scan/trivy.json: not valid JSON: "),
        scan(result).reason().orElseThrow());
    assertEquals("https://releasegate.dev/stage-error/v1", statement().get("predicateType").asText());
    assertTrue(Files.readString(artifact("trivy.json")).startsWith("Segmentation fault"));
  }

  @Test
  void nonZeroExitFailsWithTheTailOfStderr() {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "exit2");
    ReleaseResult result = release(project("{}"), environment);

    assertEquals(FailureKind.ENVIRONMENT, scan(result).failure().orElseThrow());
    assertEquals("trivy image exited with 2: 2024-04-10T08:39:23Z\tINFO\t[vulndb] Need to update DB | "
            + "2024-04-10T08:39:24Z\tFATAL\tFatal error\trun error: image scan error: unable to initialize an image scanner: 4 errors occurred",
        scan(result).reason().orElseThrow());
  }

  @Test
  void unreadableVersionOutputFails() {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "version-garbage");
    ReleaseResult result = release(project("{}"), environment);

    assertEquals(FailureKind.ENVIRONMENT, scan(result).failure().orElseThrow());
    assertTrue(scan(result).reason().orElseThrow().startsWith("cannot read the output of trivy --version --format json: not valid JSON: "),
        scan(result).reason().orElseThrow());
  }

  @Test
  void scanPastItsDeadlineFails() {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "sleep");
    ReleaseResult result = release(project("{timeoutSeconds: 1}"), environment);

    assertEquals(FailureKind.ENVIRONMENT, scan(result).failure().orElseThrow());
    assertEquals("trivy image did not finish within 1 s (timeoutSeconds)", scan(result).reason().orElseThrow());
  }

  @Test
  void missingTrivyFailsAndSaysWhatToDo() throws IOException {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("PATH", Files.createDirectories(work.resolve("empty-bin")).toString());
    ReleaseResult result = release(project("{}"), environment);

    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.ENVIRONMENT, scan(result).failure().orElseThrow());
    assertEquals("trivy not found on PATH; install it or set with.path", scan(result).reason().orElseThrow());
  }

  @Test
  void pathOptionRunsThatBinaryAndMustExist() throws IOException {
    Map<String, String> environment = env("sl-micro-rancher5.4-novulns.json");
    environment.put("PATH", Files.createDirectories(work.resolve("empty-bin")).toString());
    ReleaseResult found = release(project("found", stages("{}", "{path: " + trivy.executable() + "}"), Map.of()), environment, "evidence-found");
    assertEquals(ReleaseStatus.RELEASED, found.status(), String.valueOf(scan(found).reason()));
    assertEquals(2, trivy.invocations().size(), "scan and version ran through the configured binary");

    ReleaseResult missing = release(project("missing", stages("{}", "{path: tools/trivy}"), Map.of()), environment);
    assertEquals("trivy not found at " + work.resolve("missing/tools/trivy") + " (with.path)", scan(missing).reason().orElseThrow());
  }

  @Test
  void invalidWaiversFileIsInvalidInputAndNothingRuns() {
    String waivers = "waivers:\n  - id: CVE-2019-18224\n    expires: 2030-01-01\n";
    ReleaseResult result = release(project("{waivers: .releasegate/waivers.yaml}", waivers), env("debian-buster.json"));

    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.INVALID_INPUT, scan(result).failure().orElseThrow());
    assertEquals(".releasegate/waivers.yaml:2:5: waiver 1 (CVE-2019-18224): 'reason' is required", scan(result).reason().orElseThrow());
    assertEquals(List.of(), trivy.invocations(), "trivy never runs on an invalid policy");
  }

  @Test
  void missingWaiversFileIsInvalidInput() {
    ReleaseResult result = release(project("{waivers: .releasegate/waivers.yaml}"), env("debian-buster.json"));

    assertEquals(FailureKind.INVALID_INPUT, scan(result).failure().orElseThrow());
    assertEquals("waivers file .releasegate/waivers.yaml not found in the project", scan(result).reason().orElseThrow());
  }

  /**
   * trivy's invocations with {@code --module-dir DIR} taken out, once it is known to be there: an empty
   * folder of the stage's own, made for the run and gone after it.
   */
  private List<List<String>> invocations() {
    List<List<String>> all = new java.util.ArrayList<>();
    for (List<String> invocation : trivy.invocations()) {
      int at = invocation.indexOf("--module-dir");
      if (!invocation.get(0).equals("image")) {
        assertEquals(-1, at, "only an image scan loads modules");
        all.add(invocation);
        continue;
      }
      assertTrue(at > 0 && invocation.get(at + 1).contains("releasegate-trivy-modules"), invocation.toString());
      assertFalse(Files.exists(Path.of(invocation.get(at + 1))), "the module folder is removed after the scan");
      List<String> rest = new java.util.ArrayList<>(invocation);
      rest.remove(at + 1);
      rest.remove(at);
      all.add(rest);
    }
    return all;
  }

  // ---- command lines ----

  @Test
  void imageModeRunsTrivyImageOnTheDigestAndThenAsksForItsVersion() throws IOException {
    release(project("{}"), env("sl-micro-rancher5.4-novulns.json"));

    assertEquals(List.of(
            List.of("image", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(), "--image-src", "remote", IMAGE),
            List.of("--version", "--format", "json")),
        invocations());
    assertTrue(trivy.context().contains("pwd=" + work.resolve("evidence/artifacts/scan")),
        "trivy runs in the stage's artifact folder, away from a .trivyignore or trivy.yaml in the project: " + trivy.context());
    JsonNode parameters = statement().at("/predicate/invocation/parameters");
    assertEquals(trivy.executable().toString(), parameters.get(0).asText(), "the statement names the binary that ran");
    assertEquals(IMAGE, parameters.get(parameters.size() - 1).asText());
  }

  @Test
  void loopbackRegistryWithInsecureRegistryGetsInsecure() throws IOException {
    Path project = project("{}");
    Releases.run(Releases.request(project, signer, work.resolve("evidence")).environment(env("sl-micro-rancher5.4-novulns.json"))
        .insecureRegistry(true).build());

    assertEquals(List.of("image", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(), "--image-src", "remote",
        "--insecure", IMAGE), invocations().get(0));
  }

  @Test
  void remoteRegistryNeverGetsInsecure() throws IOException {
    repository = "registry.example.test/acme/hello";
    Path project = project("{}");
    ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("evidence"))
        .environment(env("sl-micro-rancher5.4-novulns.json")).insecureRegistry(true).build()).result();

    assertFalse(trivy.invocations().get(0).contains("--insecure"));
    assertEquals(List.of("--insecure-registry is not passed to trivy for registry.example.test: only loopback registries are scanned without TLS"),
        scan(result).warnings());
  }

  @Test
  void cacheDirDbFlagsAndExtraArgsArePassedThrough() throws IOException {
    Path project = project("{cacheDir: .cache/trivy, skipDbUpdate: true, skipJavaDbUpdate: true, offlineScan: true, "
        + "extraArgs: [--timeout, 10m, --parallel=2]}");
    release(project, env("sl-micro-rancher5.4-novulns.json"));

    String cache = project.resolve(".cache/trivy").toString();
    assertEquals(List.of(
            List.of("image", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(), "--image-src", "remote",
                "--cache-dir", cache, "--skip-db-update", "--skip-java-db-update", "--offline-scan", "--skip-version-check", "--disable-telemetry",
                "--timeout", "10m", "--parallel=2", IMAGE),
            List.of("--version", "--format", "json", "--cache-dir", cache)),
        invocations(), "an offline scan does not phone home either");
  }

  @Test
  void noTelemetryAloneKeepsTrivyFromCallingHome() throws IOException {
    release(project("{noTelemetry: true}"), env("sl-micro-rancher5.4-novulns.json"));
    assertTrue(invocations().get(0).containsAll(List.of("--skip-version-check", "--disable-telemetry")), invocations().toString());
  }

  @Test
  void sbomModeScansTheSbomAnEarlierStagePublished() throws IOException {
    String bom = Files.readString(Fixtures.file("cyclonedx/centos-7-cyclonedx-1.5.json"));
    Path project = project(stages("{sbom: bom.cdx.json}", "{mode: sbom}"), Map.of("bom.cdx.json", bom));
    ReleaseResult result = release(project, env("centos-7.json"));

    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(scan(result).reason()));
    assertEquals(List.of("sbom", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(),
        project.resolve("bom.cdx.json").toString()), invocations().get(0));
    assertEquals("sbom", result().get("mode").asText());
    assertEquals(IMAGE, result().get("image").asText());
  }

  @Test
  void sbomModeNeedsAStageThatPublishesAnSbom() {
    PipelineException e = assertThrows(PipelineException.class,
        () -> release(project("{mode: sbom}"), env("centos-7.json")));
    assertTrue(e.problems().stream().anyMatch(problem -> problem.contains("needs output 'sbom', which no earlier stage produces")),
        e.problems().toString());
  }

  @Test
  void extraArgsOutsideTheAllowlistAreRefusedBeforeAnythingRuns() {
    PipelineException e = assertThrows(PipelineException.class,
        () -> release(project("{extraArgs: [--timeout, 5m, --severity, HIGH]}"), env("centos-7.json")));
    assertEquals(1, e.problems().size(), "--timeout 5m is allowed: " + e.problems());
    assertTrue(e.problems().get(0).contains("--severity is not among the trivy arguments a gate passes through: --db-repository, --debug, "
        + "--java-db-repository, --no-progress, --parallel, --platform, --quiet, --timeout"), e.problems().toString());
    assertEquals(List.of(), trivy.invocations());
  }

  @Test
  void everyBypassOfTheOldBlocklistIsRefused() {
    // Aliases and neighbours of the filtering flags, a second target, a server, and the output flags.
    for (List<String> extra : List.of(List.of("--security-checks", "vuln"), List.of("--vuln-severity-source", "nvd"), List.of("--skip-dirs", "/app"),
        List.of("--skip-files", "/app/x.jar"), List.of("--server", "http://elsewhere"), List.of("--exit-on-eol", "0"), List.of("--compliance", "x"),
        List.of("--distro", "debian/13"), List.of("--detection-priority", "precise"), List.of("-s", "HIGH"), List.of("-sHIGH"),
        List.of("--image-src", "docker"), List.of("--module-dir", "/root/.trivy/modules"), List.of("other/image:1"), List.of("--timeout"),
        List.of("--quiet=true"), List.of("--format", "table"), List.of("--insecure"))) {
      assertTrue(TrivyCommand.refuse(extra).isPresent(), "refused: " + extra);
    }
    assertEquals(java.util.Optional.empty(), TrivyCommand.refuse(List.of("--timeout", "5m", "--platform=linux/amd64", "--debug", "--quiet")));
  }

  @Test
  void noTrivyVariableReachesItButTheReleasesRegistryCredentials() throws IOException {
    Map<String, String> environment = env("sl-micro-rancher5.4-novulns.json");
    environment.put("TRIVY_SEVERITY", "LOW");
    environment.put("TRIVY_NON_SSL", "true");
    environment.put("TRIVY_USERNAME", "somebody-else");
    environment.put("RELEASEGATE_REGISTRY_USERNAME", "robot");
    environment.put("RELEASEGATE_REGISTRY_PASSWORD", "registry-secret-4711");
    ReleaseResult result = release(project("{}"), environment);

    List<String> seen = trivy.context().stream().filter(line -> line.startsWith("TRIVY_")).distinct().toList();
    assertEquals(List.of("TRIVY_PASSWORD=registry-secret-4711", "TRIVY_USERNAME=robot"), seen, "the release's credentials, as trivy reads them");
    assertEquals(List.of("ignored TRIVY_NON_SSL, TRIVY_SEVERITY, TRIVY_USERNAME from the environment: the stage sets trivy's flags itself"),
        scan(result).warnings());
    assertFalse(Files.readString(work.resolve("evidence/artifacts/scan/trivy.log")).contains("registry-secret-4711"));
  }

  // ---- DB age ----

  @Test
  void oldVulnerabilityDbIsAWarningAndRecorded() throws IOException {
    Map<String, String> environment = env("sl-micro-rancher5.4-novulns.json");
    environment.put("DOUBLE_DB_UPDATED_AT", "2020-01-01T00:00:00Z");
    ReleaseResult result = release(project("{maxDbAgeHours: 24}"), environment);

    assertEquals(ReleaseStatus.RELEASED, result.status(), "an old DB warns, it does not decide");
    String warning = scan(result).warnings().get(0);
    assertTrue(warning.matches("trivy vulnerability DB was updated \\d+ h ago \\(2020-01-01T00:00:00Z\\), more than maxDbAgeHours 24"), warning);
    assertEquals("2020-01-01T00:00:00Z", statement().at("/predicate/scanner/db/updatedAt").asText());
    assertTrue(statement().at("/predicate/scanner/db/ageHours").asLong() > 24);
  }

  @Test
  void aPolicyRefusesAReleaseWhoseScanIsStaleOrWhoseWaiversRunOut() throws IOException {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_DB_UPDATED_AT", "2020-01-01T00:00:00Z");
    LocalDate expires = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    ReleaseResult result = release(project("{waivers: .releasegate/waivers.yaml}", waiver("CVE-2019-18224", "libidn2-0", expires)), environment);
    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(scan(result).reason()));
    Path evidence = work.resolve("evidence");

    EvidenceReport stale = Releasegate.verifyEvidence(evidence, TestKeys.pub(signer),
        new EvidencePolicy(List.of(), true, false, java.util.Optional.of(24L), java.util.Optional.of(60L)));
    assertTrue(stale.authentic(), stale.problems().toString());
    assertFalse(stale.accepted());
    assertEquals(2, stale.policyViolations().size(), stale.policyViolations().toString());
    assertTrue(stale.policyViolations().get(0).matches(
        "policy: scan 'scan' used a vulnerability DB updated 2020-01-01T00:00:00Z, \\d+ h ago; maxScanDbAgeHours is 24"), stale.policyViolations().toString());
    assertEquals("policy: scan 'scan' applied the waiver for CVE-2019-18224 that expires on " + expires + "; minWaiverValidityDays is 60",
        stale.policyViolations().get(1));

    EvidenceReport lenient = Releasegate.verifyEvidence(evidence, TestKeys.pub(signer),
        new EvidencePolicy(List.of(), true, false, java.util.Optional.of(1_000_000L), java.util.Optional.of(0L)));
    assertTrue(lenient.accepted(), lenient.policyViolations().toString());
  }

  @Test
  void freshVulnerabilityDbIsNoWarning() {
    ReleaseResult result = release(project("{}"), env("sl-micro-rancher5.4-novulns.json"));
    assertEquals(List.of(), scan(result).warnings());
  }

  // ---- SARIF ----

  @ParameterizedTest
  @ValueSource(strings = {"alpine-39-high-critical.json", "debian-buster.json", "centos-7.json", "spring4shell-jre11.json",
      "sl-micro-rancher5.4-novulns.json", "alpine-39-skip-noresults.json"})
  void sarifValidatesAgainstTheSarif210SchemaForEveryFixture(String fixture) throws IOException {
    Map<String, String> environment = fixture.contains("skip")
        ? trivy.environment(skipReportAbout(FakeImageStageFactory.DIGEST))
        : env(fixture);
    ReleaseResult result = release(project("{failOn: [HIGH, CRITICAL]}"), environment);
    assertTrue(scan(result).failure().map(kind -> kind == FailureKind.REJECTED).orElse(true), String.valueOf(scan(result).reason()));

    JsonNode sarif = sarif();
    assertEquals(List.of(), messages(sarifSchema.validate(sarif)));
    JsonNode report = Json.parse(Files.readAllBytes(artifact("trivy.json")));
    List<String> ids = report.findValues("VulnerabilityID").stream().map(JsonNode::asText).toList();
    assertEquals(ids.size(), sarif.at("/runs/0/results").size(), "one result per finding");
    assertEquals(new HashSet<>(ids), new HashSet<>(texts(sarif.at("/runs/0/tool/driver/rules"), "id")), "one rule per id");
    assertEquals("Trivy", sarif.at("/runs/0/tool/driver/name").asText());
    assertEquals("0.58.1", sarif.at("/runs/0/tool/driver/version").asText());
    for (JsonNode rule : sarif.at("/runs/0/tool/driver/rules")) {
      assertTrue(rule.at("/properties/security-severity").asText().matches("\\d+\\.\\d"), rule.toString());
      assertFalse(rule.at("/help/text").asText().isEmpty());
    }
    for (JsonNode sarifResult : sarif.at("/runs/0/results")) {
      assertTrue(Set.of("error", "warning", "note").contains(sarifResult.get("level").asText()));
      assertFalse(sarifResult.at("/locations/0/physicalLocation/artifactLocation/uri").asText().isEmpty());
    }
  }

  @Test
  void sarifLevelsFollowTheGateAndOsPackagesPointAtTheImage() throws IOException {
    release(project("{failOn: [CRITICAL]}"), env("debian-buster.json"));

    assertEquals("error", sarifResult("CVE-2019-18224").get("level").asText(), "CRITICAL blocks");
    assertEquals("note", sarifResult("CVE-2019-18276").get("level").asText(), "LOW does not");
    assertEquals("9.5", sarifRule("CVE-2019-18224").at("/properties/security-severity").asText());
    assertEquals("hello-service", sarifResult("CVE-2019-18224").at("/locations/0/physicalLocation/artifactLocation/uri").asText());
  }

  @Test
  void schemaCheckIsLive() throws IOException {
    // Guards the SARIF test above: the validator must reject a log without "version" and an
    // artifact location that is no URI reference (format checks are on for draft-07 here).
    ObjectNode missingVersion = (ObjectNode) Json.parse("{\"runs\": []}".getBytes(StandardCharsets.UTF_8));
    assertFalse(sarifSchema.validate(missingVersion).isEmpty());
    ObjectNode badUri = (ObjectNode) Json.parse(("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}},"
        + " \"results\": [{\"message\": {\"text\": \"m\"}, \"locations\": [{\"physicalLocation\":"
        + " {\"artifactLocation\": {\"uri\": \"a b\"}}}]}]}]}").getBytes(StandardCharsets.UTF_8));
    assertEquals(1, sarifSchema.validate(badUri).size(), messages(sarifSchema.validate(badUri)).toString());
  }

  @Test
  void registryHostsAreRecognisedForLoopbackChecks() {
    assertEquals("127.0.0.1", dev.releasegate.registry.RegistryAccess.hostOf("127.0.0.1:5000/hello"));
    assertEquals("localhost", dev.releasegate.registry.RegistryAccess.hostOf("localhost/hello"));
    assertEquals("[::1]", dev.releasegate.registry.RegistryAccess.hostOf("[::1]:5000/hello"));
    assertEquals("registry.example.test", dev.releasegate.registry.RegistryAccess.hostOf("registry.example.test/acme/hello"));
  }

  // ---- helpers ----

  private static String stages(String image, String scan) {
    return "  - {name: build, uses: fake-image, with: " + image + "}\n"
        + "  - {name: scan, uses: trivy, with: " + scan + "}\n";
  }

  private Path project(String scanWith) {
    return project("project", stages("{}", scanWith), Map.of());
  }

  private Path project(String scanWith, String waivers) {
    return project("project", stages("{}", scanWith), Map.of(".releasegate/waivers.yaml", waivers));
  }

  private Path project(String stages, Map<String, String> files) {
    return project("project", stages, files);
  }

  private Path project(String name, String stages, Map<String, String> files) {
    Map<String, String> all = new LinkedHashMap<>(files);
    all.put("releasegate.yaml", "apiVersion: releasegate/v1\nimage:\n  repository: " + repository + "\nstages:\n" + stages);
    all.put(".gitignore", "target/\n");
    return TestRepos.create(work.resolve(name), all);
  }

  private static String waiver(String id, String pkg, LocalDate expires) {
    return "waivers:\n  - id: " + id + "\n    package: " + pkg + "\n    reason: no user input reaches it\n    expires: " + expires + "\n";
  }

  private Map<String, String> env(String fixture) {
    return trivy.environment(Fixtures.file("trivy/" + fixture));
  }

  /** The no-Results fixture as trivy writes it for a registry image: ArtifactName and RepoDigests name the digest. */
  private Path skipReportAbout(String digest) throws IOException {
    ObjectNode report = (ObjectNode) Json.parse(Files.readAllBytes(Fixtures.file("trivy/alpine-39-skip-noresults.json")));
    String reference = REPOSITORY + "@" + digest;
    report.put("ArtifactName", reference);
    ((ObjectNode) report.get("Metadata")).putArray("RepoDigests").add(reference);
    Path file = work.resolve("skip-" + digest.substring(7, 15) + ".json");
    Files.write(file, Json.pretty(report));
    return file;
  }

  private ReleaseResult release(Path project, Map<String, String> environment) {
    return release(project, environment, "evidence");
  }

  private ReleaseResult release(Path project, Map<String, String> environment, String evidence) {
    this.evidence = evidence;
    return Releases.run(Releases.request(project, signer, work.resolve(evidence)).environment(environment).build()).result();
  }

  private static StageEntry scan(ReleaseResult result) {
    StageEntry scan = result.stages().get(1);
    assertEquals("scan", scan.name());
    assertTrue(scan.status() != StageStatus.SKIPPED);
    return scan;
  }

  private Path artifact(String name) {
    return work.resolve(evidence).resolve("artifacts/scan").resolve(name);
  }

  private JsonNode statement() throws IOException {
    Path envelope = work.resolve(evidence).resolve("statements/02-scan.dsse.json");
    return Json.parse(DsseEnvelope.parse(Files.readAllBytes(envelope)).payload());
  }

  private JsonNode result() throws IOException {
    return statement().at("/predicate/scanner/result");
  }

  private JsonNode sarif() throws IOException {
    return Json.parse(Files.readAllBytes(artifact("trivy.sarif")));
  }

  private JsonNode sarifResult(String ruleId) throws IOException {
    for (JsonNode result : sarif().at("/runs/0/results")) {
      if (result.get("ruleId").asText().equals(ruleId)) {
        return result;
      }
    }
    throw new AssertionError("no SARIF result for " + ruleId);
  }

  private JsonNode sarifRule(String id) throws IOException {
    for (JsonNode rule : sarif().at("/runs/0/tool/driver/rules")) {
      if (rule.get("id").asText().equals(id)) {
        return rule;
      }
    }
    throw new AssertionError("no SARIF rule " + id);
  }

  private static List<String> texts(JsonNode array, String field) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(node -> node.get(field).asText()).toList();
  }

  private static List<String> messages(List<Error> errors) {
    return errors.stream().map(Error::toString).toList();
  }

}
