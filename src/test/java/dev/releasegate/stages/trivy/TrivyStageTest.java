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
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageResult;
import dev.releasegate.testing.FakeStageContext;
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
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trivy stage constructed directly, against a fake context that holds the image digest: it runs
 * the test double found first on PATH, which replays a real Trivy report from shared/fixtures/trivy.
 * Each test asserts the decision and what the predicate, the warnings and the kept artifacts say. Two
 * whole releases show what only a release shows: the signed statement about the digest in the bundle,
 * and what verify-evidence and its policy make of it.
 */
class TrivyStageTest {
  private static final String REPOSITORY = "127.0.0.1:5000/hello-service";
  private static final String DIGEST = FakeImageStageFactory.DIGEST;
  private static final String IMAGE = REPOSITORY + "@" + DIGEST;
  private static final String OTHER_DIGEST = "sha256:" + "ab".repeat(32);
  /** The fake context's date: waivers expire relative to it. */
  private static final LocalDate TODAY = LocalDate.ofInstant(FakeStageContext.NOW, ZoneOffset.UTC);
  /** A vulnerability DB an hour older than the fake context's clock. */
  private static final String FRESH_DB = FakeStageContext.NOW.minus(Duration.ofHours(1)).toString();

  @TempDir static Path keys;
  static Path signer;
  static Schema sarifSchema;

  @TempDir Path work;
  TrivyDouble trivy;
  Path project;
  FakeStageContext context;

  @BeforeAll
  static void keysAndSchema() throws IOException {
    signer = TestKeys.write(keys, "signer");
    try (InputStream in = TrivyStageTest.class.getResourceAsStream("/trivy/sarif-schema-2.1.0.json")) {
      sarifSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(Json.parse(in.readAllBytes()));
    }
  }

  @BeforeEach
  void installDouble() throws IOException {
    trivy = TrivyDouble.install(work.resolve("double"));
    project = Files.createDirectories(work.resolve("project"));
    context = context(REPOSITORY, false, "bundle");
  }

  // ---- gate decisions, one fixture each ----

  @Test
  void alpineCriticalFindingsReject() throws Exception {
    StageResult result = scan("{}", env("alpine-39-high-critical.json"));

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("2 blocking vulnerabilities (failOn CRITICAL): CVE-2019-14697 musl, CVE-2019-14697 musl-utils", result.summary());
    assertEquals(List.of(
            "CVE-2019-14697 CRITICAL musl 1.1.20-r4 (fixed in 1.1.20-r5) in testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)",
            "CVE-2019-14697 CRITICAL musl-utils 1.1.20-r4 (fixed in 1.1.20-r5) in testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)"),
        result.details());

    JsonNode predicate = result.predicate();
    assertEquals("0.58.1", predicate.at("/scanner/version").asText());
    assertEquals("pkg:github/aquasecurity/trivy@0.58.1", predicate.at("/scanner/uri").asText());
    assertEquals("2", predicate.at("/scanner/db/version").asText());
    assertTrue(predicate.at("/metadata/scanStartedOn").asText().compareTo(predicate.at("/metadata/scanFinishedOn").asText()) <= 0);
    JsonNode scanResult = predicate.at("/scanner/result");
    assertEquals("rejected", scanResult.at("/gate/decision").asText());
    assertEquals(result.summary(), scanResult.at("/gate/reason").asText());
    assertEquals(2, scanResult.at("/summary/found/CRITICAL").asInt());
    assertEquals(2, scanResult.at("/summary/afterWaivers/CRITICAL").asInt());
    assertEquals(List.of("musl", "musl-utils"), texts(scanResult.get("blockingFindings"), "package"));
    assertEquals("1.1.20-r5", scanResult.at("/blockingFindings/0/fixedVersion").asText());
    assertEquals(Digests.sha256Hex(Files.readAllBytes(artifact("trivy.json"))), scanResult.at("/evidence/0/digest/sha256").asText(),
        "the predicate names the raw report by digest");
    assertEquals(Files.readString(Fixtures.file("trivy/alpine-39-high-critical.json")), Files.readString(artifact("trivy.json")));
  }

  @Test
  void debianCriticalBlocksWhileTheUnfixedLowDoesNot() throws Exception {
    StageResult result = scan("{failOn: [CRITICAL]}", env("debian-buster.json"));

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2019-18224 libidn2-0", result.summary());
    JsonNode summary = scanResult(result).get("summary");
    assertEquals(1, summary.at("/found/CRITICAL").asInt());
    assertEquals(1, summary.at("/found/LOW").asInt());
    assertEquals(List.of("CVE-2019-18224"), texts(scanResult(result).get("blockingFindings"), "id"));
  }

  @Test
  void validWaiverPassesAndIsRecorded() throws Exception {
    String waivers = waivers(waiver("CVE-2019-18224", "libidn2-0", TODAY.plusYears(1)));
    StageResult result = scan("{waivers: .releasegate/waivers.yaml}", env("debian-buster.json"));

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertEquals(List.of(), result.warnings());
    JsonNode scanResult = scanResult(result);
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
    assertEquals("waiver until " + TODAY.plusYears(1) + ": no user input reaches it", waived.at("/suppressions/0/justification").asText());
  }

  @Test
  void expiredWaiverNoLongerAppliesAndIsReported() throws Exception {
    LocalDate expired = TODAY.minusDays(2);
    waivers(waiver("CVE-2019-18224", "libidn2-0", expired));
    StageResult result = scan("{waivers: .releasegate/waivers.yaml}", env("debian-buster.json"));

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2019-18224 libidn2-0", result.summary());
    assertEquals(List.of("waiver for CVE-2019-18224 (libidn2-0) expired on " + expired + "; it no longer applies"), result.warnings());
    assertEquals(0, scanResult(result).at("/waivers/applied").size());
    assertEquals(expired.toString(), scanResult(result).at("/waivers/expired/0/expires").asText());
    assertEquals(1, scanResult(result).at("/waivers/expired/0/wouldMatchFindings").asInt());
    assertFalse(sarifResult("CVE-2019-18224").has("suppressions"));
  }

  @Test
  void waiverWithoutPackageCoversTheIdInEveryPackage() throws Exception {
    waivers("waivers:\n  - {id: CVE-2019-14697, reason: musl is not reachable, expires: \"" + TODAY.plusDays(30) + "\"}\n");
    StageResult result = scan("{waivers: .releasegate/waivers.yaml}", env("alpine-39-high-critical.json"));

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertEquals(2, scanResult(result).at("/waivers/applied/0/matchedFindings").asInt());
  }

  @Test
  void spring4shellFindingNamesTheJarAndTheMavenPackage() throws Exception {
    StageResult result = scan("{}", env("spring4shell-jre11.json"));

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    String jar = "usr/local/tomcat/webapps/helloworld.war/WEB-INF/lib/spring-beans-5.3.15.jar";
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2022-22965 org.springframework:spring-beans", result.summary());
    assertEquals(List.of("CVE-2022-22965 CRITICAL org.springframework:spring-beans 5.3.15 (fixed in 5.3.18) in " + jar), result.details());
    assertEquals(jar, scanResult(result).at("/blockingFindings/0/pkgPath").asText());
    assertEquals("lang-pkgs", scanResult(result).at("/blockingFindings/0/class").asText());
    assertEquals(jar, sarifResult("CVE-2022-22965").at("/locations/0/physicalLocation/artifactLocation/uri").asText());
  }

  @Test
  void ignoreUnfixedDropsWillNotFixFindingsWithoutAFix() throws Exception {
    // CentOS 7: CVE-2019-18276 (bash, LOW, will_not_fix, no fixed version) and two fixed openssl ones.
    StageResult strict = scan("{failOn: [LOW]}", env("centos-7.json"));
    assertEquals("2 blocking vulnerabilities (failOn LOW): CVE-2019-18276 bash, CVE-2018-0734 openssl-libs", strict.summary());

    context = context(REPOSITORY, false, "bundle-lenient");
    StageResult lenient = scan("{failOn: [LOW], ignoreUnfixed: true}", env("centos-7.json"));
    assertEquals("1 blocking vulnerability (failOn LOW): CVE-2018-0734 openssl-libs", lenient.summary());
    assertEquals(1, scanResult(lenient).at("/summary/ignoredUnfixed/LOW").asInt());
    assertEquals("ignoreUnfixed: no fixed version is available", sarifResult("CVE-2019-18276").at("/suppressions/0/justification").asText());
  }

  @Test
  void reportWithoutVulnerabilitiesPasses() throws Exception {
    StageResult result = scan("{failOn: [CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN]}", env("sl-micro-rancher5.4-novulns.json"));

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertEquals("no blocking vulnerabilities (failOn CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN); found: none; after waivers: none",
        scanResult(result).at("/gate/reason").asText());
    assertEquals(0, sarif().at("/runs/0/results").size());
  }

  @Test
  void reportWithoutResultsThatDoesNotNameTheDigestFails() {
    // The fixture was made from an image tarball: nothing in it says which registry digest it was.
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> scan("{}", env("alpine-39-skip-noresults.json")));

    assertEquals("trivy report has no Results and does not name " + DIGEST
            + " (ArtifactName 'testdata/fixtures/images/alpine-39.tar.gz', no matching Metadata.RepoDigests);"
            + " cannot tell that the image was scanned",
        e.getMessage());
  }

  @Test
  void reportWithoutResultsPassesWhenItNamesTheDigest() throws Exception {
    StageResult result = scan("{}", env(skipReportAbout(DIGEST)));

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertTrue(scanResult(result).at("/artifact/namesDigest").asBoolean());
    assertFalse(scanResult(result).at("/artifact/hasResults").asBoolean());
  }

  @Test
  void reportAboutAnotherDigestFails() throws IOException {
    Map<String, String> environment = env(skipReportAbout(OTHER_DIGEST));
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> scan("{}", environment));

    assertEquals("trivy report is about " + OTHER_DIGEST + ", not " + DIGEST, e.getMessage());
  }

  // ---- fail closed ----

  @Test
  void garbageReportFailsAndIsKeptAsEvidence() throws IOException {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "garbage");
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> scan("{}", environment));

    assertTrue(e.getMessage().startsWith("cannot read trivy report artifacts/scan/trivy.json: not valid JSON: "), e.getMessage());
    assertTrue(Files.readString(artifact("trivy.json")).startsWith("Segmentation fault"));
  }

  @Test
  void nonZeroExitFailsWithTheTailOfStderr() {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "exit2");
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> scan("{}", environment));

    assertEquals("trivy image exited with 2: 2024-04-10T08:39:23Z\tINFO\t[vulndb] Need to update DB | "
            + "2024-04-10T08:39:24Z\tFATAL\tFatal error\trun error: image scan error: unable to initialize an image scanner: 4 errors occurred",
        e.getMessage());
  }

  @Test
  void unreadableVersionOutputFails() {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "version-garbage");
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> scan("{}", environment));

    assertTrue(e.getMessage().startsWith("cannot read the output of trivy --version --format json: not valid JSON: "), e.getMessage());
  }

  @Test
  void scanPastItsDeadlineFails() {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("DOUBLE_MODE", "sleep");
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> scan("{timeoutSeconds: 1}", environment));

    assertEquals("trivy image did not finish within 1 s (timeoutSeconds)", e.getMessage());
  }

  @Test
  void missingTrivyFailsAndSaysWhatToDo() throws IOException {
    Map<String, String> environment = env("debian-buster.json");
    environment.put("PATH", Files.createDirectories(work.resolve("empty-bin")).toString());
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> scan("{}", environment));

    assertEquals("trivy not found on PATH; install it or set with.path", e.getMessage());
  }

  @Test
  void pathOptionRunsThatBinaryAndMustExist() throws Exception {
    Map<String, String> environment = env("sl-micro-rancher5.4-novulns.json");
    environment.put("PATH", Files.createDirectories(work.resolve("empty-bin")).toString());
    StageResult found = scan("{path: " + trivy.executable() + "}", environment);
    assertEquals(StageResult.Outcome.PASSED, found.outcome(), found.summary());
    assertEquals(2, trivy.invocations().size(), "scan and version ran through the configured binary");

    EnvironmentException missing = assertThrows(EnvironmentException.class, () -> scan("{path: tools/trivy}", environment));
    assertEquals("trivy not found at " + project.resolve("tools/trivy") + " (with.path)", missing.getMessage());
  }

  @Test
  void invalidWaiversFileIsInvalidInputAndNothingRuns() throws IOException {
    waivers("waivers:\n  - id: CVE-2019-18224\n    expires: 2030-01-01\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> scan("{waivers: .releasegate/waivers.yaml}", env("debian-buster.json")));

    assertEquals(".releasegate/waivers.yaml:2:5: waiver 1 (CVE-2019-18224): 'reason' is required", e.getMessage());
    assertEquals(List.of(), trivy.invocations(), "trivy never runs on an invalid policy");
  }

  @Test
  void missingWaiversFileIsInvalidInput() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> scan("{waivers: .releasegate/waivers.yaml}", env("debian-buster.json")));

    assertEquals("waivers file .releasegate/waivers.yaml not found in the project", e.getMessage());
  }

  // ---- command lines ----

  @Test
  void imageModeRunsTrivyImageOnTheDigestAndThenAsksForItsVersion() throws Exception {
    StageResult result = scan("{}", env("sl-micro-rancher5.4-novulns.json"));

    assertEquals(List.of(
            List.of("image", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(), "--image-src", "remote", IMAGE),
            List.of("--version", "--format", "json")),
        invocations());
    assertTrue(trivy.context().contains("pwd=" + context.artifacts().directory()),
        "trivy runs in the stage's artifact folder, away from a .trivyignore or trivy.yaml in the project: " + trivy.context());
    JsonNode parameters = result.predicate().at("/invocation/parameters");
    assertEquals(trivy.executable().toString(), parameters.get(0).asText(), "the predicate names the binary that ran");
    assertEquals(IMAGE, parameters.get(parameters.size() - 1).asText());
  }

  @Test
  void loopbackRegistryWithInsecureRegistryGetsInsecure() throws Exception {
    context = context(REPOSITORY, true, "bundle-insecure");
    scan("{}", env("sl-micro-rancher5.4-novulns.json"));

    assertEquals(List.of("image", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(), "--image-src", "remote",
        "--insecure", IMAGE), invocations().get(0));
  }

  @Test
  void remoteRegistryNeverGetsInsecure() throws Exception {
    context = context("registry.example.test/acme/hello", true, "bundle-remote");
    StageResult result = scan("{}", env("sl-micro-rancher5.4-novulns.json"));

    assertFalse(trivy.invocations().get(0).contains("--insecure"));
    assertEquals(List.of("--insecure-registry is not passed to trivy for registry.example.test: only loopback registries are scanned without TLS"),
        result.warnings());
  }

  @Test
  void cacheDirDbFlagsAndExtraArgsArePassedThrough() throws Exception {
    scan("{cacheDir: .cache/trivy, skipDbUpdate: true, skipJavaDbUpdate: true, offlineScan: true, extraArgs: [--timeout, 10m, --parallel=2]}",
        env("sl-micro-rancher5.4-novulns.json"));

    String cache = project.resolve(".cache/trivy").toString();
    assertEquals(List.of(
            List.of("image", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(), "--image-src", "remote",
                "--cache-dir", cache, "--skip-db-update", "--skip-java-db-update", "--offline-scan", "--skip-version-check", "--disable-telemetry",
                "--timeout", "10m", "--parallel=2", IMAGE),
            List.of("--version", "--format", "json", "--cache-dir", cache)),
        invocations(), "an offline scan does not phone home either");
  }

  @Test
  void noTelemetryAloneKeepsTrivyFromCallingHome() throws Exception {
    scan("{noTelemetry: true}", env("sl-micro-rancher5.4-novulns.json"));
    assertTrue(invocations().get(0).containsAll(List.of("--skip-version-check", "--disable-telemetry")), invocations().toString());
  }

  @Test
  void sbomModeScansTheSbomAnEarlierStagePublished() throws Exception {
    Files.writeString(project.resolve("bom.cdx.json"), Files.readString(Fixtures.file("cyclonedx/centos-7-cyclonedx-1.5.json")));
    context.environment(env("centos-7.json")).output(Outputs.SBOM, Path.of("bom.cdx.json"));
    StageResult result = FakeStageContext.stage(work.resolve("pipeline"),
        "{name: build, uses: fake-image, with: {sbom: bom.cdx.json}}", "{name: scan, uses: trivy, with: {mode: sbom}}").run(context);

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), result.summary());
    assertEquals(List.of("sbom", "--format", "json", "--exit-code", "0", "--output", artifact("trivy.json").toString(),
        project.resolve("bom.cdx.json").toString()), invocations().get(0));
    assertEquals("sbom", scanResult(result).get("mode").asText());
    assertEquals(IMAGE, scanResult(result).get("image").asText());
  }

  @Test
  void sbomModeNeedsAStageThatPublishesAnSbom() {
    PipelineException e = assertThrows(PipelineException.class, () -> trivy("{mode: sbom}"));
    assertTrue(e.problems().stream().anyMatch(problem -> problem.contains("needs output 'sbom', which no earlier stage produces")),
        e.problems().toString());
  }

  @Test
  void extraArgsOutsideTheAllowlistAreRefusedBeforeAnythingRuns() {
    PipelineException e = assertThrows(PipelineException.class, () -> trivy("{extraArgs: [--timeout, 5m, --severity, HIGH]}"));
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
    assertEquals(Optional.empty(), TrivyCommand.refuse(List.of("--timeout", "5m", "--platform=linux/amd64", "--debug", "--quiet")));
  }

  @Test
  void noTrivyVariableReachesItButTheReleasesRegistryCredentials() throws Exception {
    Map<String, String> environment = env("sl-micro-rancher5.4-novulns.json");
    environment.put("TRIVY_SEVERITY", "LOW");
    environment.put("TRIVY_NON_SSL", "true");
    environment.put("TRIVY_USERNAME", "somebody-else");
    environment.put("RELEASEGATE_REGISTRY_USERNAME", "robot");
    context.secret("RELEASEGATE_REGISTRY_PASSWORD", "registry-secret-4711");
    StageResult result = scan("{}", environment);

    List<String> seen = trivy.context().stream().filter(line -> line.startsWith("TRIVY_")).distinct().toList();
    assertEquals(List.of("TRIVY_PASSWORD=registry-secret-4711", "TRIVY_USERNAME=robot"), seen, "the release's credentials, as trivy reads them");
    assertEquals(List.of("ignored TRIVY_NON_SSL, TRIVY_SEVERITY, TRIVY_USERNAME from the environment: the stage sets trivy's flags itself"),
        result.warnings());
    assertFalse(context.artifact("trivy.log").contains("registry-secret-4711"));
  }

  // ---- DB age ----

  @Test
  void oldVulnerabilityDbIsAWarningAndRecorded() throws Exception {
    Map<String, String> environment = env("sl-micro-rancher5.4-novulns.json");
    environment.put("DOUBLE_DB_UPDATED_AT", "2020-01-01T00:00:00Z");
    StageResult result = scan("{maxDbAgeHours: 24}", environment);

    assertEquals(StageResult.Outcome.PASSED, result.outcome(), "an old DB warns, it does not decide");
    assertEquals(List.of("trivy vulnerability DB was updated 52635 h ago (2020-01-01T00:00:00Z), more than maxDbAgeHours 24"), result.warnings());
    assertEquals("2020-01-01T00:00:00Z", result.predicate().at("/scanner/db/updatedAt").asText());
    assertEquals(52_635, result.predicate().at("/scanner/db/ageHours").asLong());
  }

  @Test
  void freshVulnerabilityDbIsNoWarning() throws Exception {
    StageResult result = scan("{}", env("sl-micro-rancher5.4-novulns.json"));
    assertEquals(List.of(), result.warnings());
    assertEquals(1, result.predicate().at("/scanner/db/ageHours").asLong());
  }

  // ---- SARIF ----

  @ParameterizedTest
  @ValueSource(strings = {"alpine-39-high-critical.json", "debian-buster.json", "centos-7.json", "spring4shell-jre11.json",
      "sl-micro-rancher5.4-novulns.json", "alpine-39-skip-noresults.json"})
  void sarifValidatesAgainstTheSarif210SchemaForEveryFixture(String fixture) throws Exception {
    Map<String, String> environment = fixture.contains("skip") ? env(skipReportAbout(DIGEST)) : env(fixture);
    scan("{failOn: [HIGH, CRITICAL]}", environment);

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
  void sarifLevelsFollowTheGateAndOsPackagesPointAtTheImage() throws Exception {
    scan("{failOn: [CRITICAL]}", env("debian-buster.json"));

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
    assertEquals("127.0.0.1", RegistryAccess.hostOf("127.0.0.1:5000/hello"));
    assertEquals("localhost", RegistryAccess.hostOf("localhost/hello"));
    assertEquals("[::1]", RegistryAccess.hostOf("[::1]:5000/hello"));
    assertEquals("registry.example.test", RegistryAccess.hostOf("registry.example.test/acme/hello"));
  }

  // ---- whole releases: the signed statement, and what verify-evidence makes of it ----

  @Test
  void aRejectingScanIsSignedIntoTheBundleAboutTheImageDigest() throws IOException {
    ReleaseResult result = release(project("{}", Optional.empty()), trivy.environment(Fixtures.file("trivy/alpine-39-high-critical.json")));

    assertEquals(ReleaseStatus.REJECTED, result.status());
    StageEntry scan = result.stages().get(1);
    assertEquals("scan", scan.name());
    assertEquals(FailureKind.REJECTED, scan.failure().orElseThrow());
    assertEquals("2 blocking vulnerabilities (failOn CRITICAL): CVE-2019-14697 musl, CVE-2019-14697 musl-utils", scan.reason().orElseThrow());
    assertEquals(2, scan.details().size(), scan.details().toString());

    JsonNode statement = Json.parse(DsseEnvelope.parse(Files.readAllBytes(work.resolve("evidence/statements/02-scan.dsse.json"))).payload());
    assertEquals(TrivyStageFactory.PREDICATE_TYPE, statement.get("predicateType").asText());
    assertEquals(DIGEST.substring(7), statement.at("/subject/0/digest/sha256").asText(), "the statement is about the image digest");
    assertEquals(scan.reason().orElseThrow(), statement.at("/predicate/scanner/result/gate/reason").asText());
    assertEquals(Digests.sha256Hex(Files.readAllBytes(work.resolve("evidence/artifacts/scan/trivy.json"))),
        statement.at("/predicate/scanner/result/evidence/0/digest/sha256").asText(), "the statement names the report in the bundle");

    EvidenceReport verified = Releasegate.verifyEvidence(work.resolve("evidence"), TestKeys.pub(signer), EvidencePolicy.NONE);
    assertTrue(verified.authentic(), verified.problems().toString());
    assertEquals(ReleaseStatus.REJECTED, verified.status().orElseThrow());
  }

  @Test
  void aPolicyRefusesAReleaseWhoseScanIsStaleOrWhoseWaiversRunOut() throws IOException {
    Map<String, String> environment = trivy.environment(Fixtures.file("trivy/debian-buster.json"));
    environment.put("DOUBLE_DB_UPDATED_AT", "2020-01-01T00:00:00Z");
    LocalDate expires = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    ReleaseResult result = release(project("{waivers: .releasegate/waivers.yaml}", Optional.of(waiver("CVE-2019-18224", "libidn2-0", expires))),
        environment);
    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(result.stages().get(1).reason()));
    Path evidence = work.resolve("evidence");

    EvidenceReport stale = Releasegate.verifyEvidence(evidence, TestKeys.pub(signer),
        new EvidencePolicy(List.of(), true, false, Optional.of(24L), Optional.of(60L)));
    assertTrue(stale.authentic(), stale.problems().toString());
    assertFalse(stale.accepted());
    assertEquals(2, stale.policyViolations().size(), stale.policyViolations().toString());
    assertTrue(stale.policyViolations().get(0).matches(
        "policy: scan 'scan' used a vulnerability DB updated 2020-01-01T00:00:00Z, \\d+ h ago; maxScanDbAgeHours is 24"), stale.policyViolations().toString());
    assertEquals("policy: scan 'scan' applied the waiver for CVE-2019-18224 that expires on " + expires + "; minWaiverValidityDays is 60",
        stale.policyViolations().get(1));

    EvidenceReport lenient = Releasegate.verifyEvidence(evidence, TestKeys.pub(signer),
        new EvidencePolicy(List.of(), true, false, Optional.of(1_000_000L), Optional.of(0L)));
    assertTrue(lenient.accepted(), lenient.policyViolations().toString());
  }

  // ---- helpers ----

  /** A context for the scan stage of a pipeline whose image is {@code repository} at {@link #DIGEST}. */
  private FakeStageContext context(String repository, boolean insecureRegistry, String bundle) {
    return new FakeStageContext(project, work.resolve(bundle)).stageName("scan").image(new ImageReference(repository, DIGEST), insecureRegistry);
  }

  /** The trivy stage as a pipeline declares it after a stage that publishes the image. */
  private Stage trivy(String with) {
    return FakeStageContext.stage(work.resolve("pipeline"), "{name: build, uses: fake-image}", "{name: scan, uses: trivy, with: " + with + "}");
  }

  private StageResult scan(String with, Map<String, String> environment) throws InterruptedException {
    return trivy(with).run(context.environment(environment));
  }

  /** The double replaying {@code fixture}, with a DB that is fresh at the fake context's clock. */
  private Map<String, String> env(String fixture) {
    return env(Fixtures.file("trivy/" + fixture));
  }

  private Map<String, String> env(Path report) {
    Map<String, String> environment = trivy.environment(report);
    environment.put("DOUBLE_DB_UPDATED_AT", FRESH_DB);
    return environment;
  }

  /** Writes the project's .releasegate/waivers.yaml. */
  private String waivers(String content) throws IOException {
    Files.createDirectories(project.resolve(".releasegate"));
    Files.writeString(project.resolve(".releasegate/waivers.yaml"), content);
    return content;
  }

  private static String waiver(String id, String pkg, LocalDate expires) {
    return "waivers:\n  - id: " + id + "\n    package: " + pkg + "\n    reason: no user input reaches it\n    expires: " + expires + "\n";
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

  /**
   * trivy's invocations with {@code --module-dir DIR} taken out, once it is known to be there: an empty
   * folder of the stage's own, made for the run and gone after it.
   */
  private List<List<String>> invocations() {
    List<List<String>> all = new ArrayList<>();
    for (List<String> invocation : trivy.invocations()) {
      int at = invocation.indexOf("--module-dir");
      if (!invocation.get(0).equals("image")) {
        assertEquals(-1, at, "only an image scan loads modules");
        all.add(invocation);
        continue;
      }
      assertTrue(at > 0 && invocation.get(at + 1).contains("releasegate-trivy-modules"), invocation.toString());
      assertFalse(Files.exists(Path.of(invocation.get(at + 1))), "the module folder is removed after the scan");
      List<String> rest = new ArrayList<>(invocation);
      rest.remove(at + 1);
      rest.remove(at);
      all.add(rest);
    }
    return all;
  }

  private Path artifact(String name) throws IOException {
    return context.artifacts().directory().resolve(name);
  }

  private static JsonNode scanResult(StageResult result) {
    return result.predicate().at("/scanner/result");
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
    return StreamSupport.stream(array.spliterator(), false).map(node -> node.get(field).asText()).toList();
  }

  private static List<String> messages(List<Error> errors) {
    return errors.stream().map(Error::toString).toList();
  }

  /** A project whose pipeline publishes the image with the fake-image plug-in and scans it, with an optional waivers file. */
  private Path project(String scanWith, Optional<String> waivers) {
    Map<String, String> files = new HashMap<>();
    waivers.ifPresent(content -> files.put(".releasegate/waivers.yaml", content));
    files.put("releasegate.yaml", "apiVersion: releasegate/v1\nimage:\n  repository: " + REPOSITORY + "\nstages:\n"
        + "  - {name: build, uses: fake-image}\n  - {name: scan, uses: trivy, with: " + scanWith + "}\n");
    files.put(".gitignore", "target/\n");
    return TestRepos.create(work.resolve("release"), files);
  }

  private ReleaseResult release(Path project, Map<String, String> environment) {
    return Releases.run(Releases.request(project, signer, work.resolve("evidence")).environment(environment).build()).result();
  }
}
