package dev.releasegate.stages.trivy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Peers;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trivy stage with the real Trivy (built by scripts/peers) and the offline DB made from real
 * advisories (src/test/resources/trivy-db), on the example's image in a real registry. What Trivy
 * must find is computed from the advisories and the image's SBOM, not written down by hand.
 */
class TrivyIT {
  private static final Path ADVISORIES = Path.of("src/test/resources/trivy-db/advisories.yaml");

  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;
  static String base;
  static Path template;
  static Path cache;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
    template = Examples.builtHelloService(shared.resolve("template"));
    cache = Peers.trivyCache(shared.resolve("trivy-cache"), null);
  }

  private static String scan(String cacheDir, String options) {
    return "  - {name: scan, uses: trivy, with: {cacheDir: " + cacheDir + ", skipDbUpdate: true, skipJavaDbUpdate: true, offlineScan: true"
        + options + "}}\n";
  }

  private static String pipeline(String stages) {
    return "apiVersion: releasegate/v1\nstages:\n  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}\n"
        + "  - {name: sbom, uses: cyclonedx}\n" + stages;
  }

  private static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("PATH", Peers.pathWithTrivy());
    return environment;
  }

  private ReleaseResult release(Path project, String repository, Map<String, String> environment) {
    return Releases.run(Releases.request(project, signer, work.resolve("evidence")).imageRepository(registry.address() + "/" + repository)
        .baseImage(base).insecureRegistry(true).environment(environment).version("1.0.0").build()).result();
  }

  private Path project(String name, String pipeline) {
    return TestRepos.copyBuilt(template, work.resolve(name), Map.of("releasegate.yaml", pipeline));
  }

  private static StageEntry stage(ReleaseResult result, String name) {
    return result.stages().stream().filter(stage -> stage.name().equals(name)).findFirst().orElseThrow();
  }

  /** (CVE, package) of every finding in a trivy report. */
  private static Set<String> findings(Path report) throws IOException {
    Set<String> found = new TreeSet<>();
    for (JsonNode result : Json.parse(Files.readAllBytes(report)).path("Results")) {
      for (JsonNode finding : result.path("Vulnerabilities")) {
        found.add(finding.get("VulnerabilityID").asText() + " " + finding.get("PkgName").asText());
      }
    }
    return found;
  }

  /**
   * What the advisories say about the image's Debian packages: every unfixed advisory of a package's
   * source package, and every fixed one whose fixed version is newer than the installed source version
   * (compared by dpkg itself).
   */
  private static Set<String> expectedFromAdvisories(Path sbom) throws IOException {
    JsonNode advisories = new YAMLMapper().readTree(ADVISORIES.toFile());
    Set<String> expected = new TreeSet<>();
    for (JsonNode component : Json.parse(Files.readAllBytes(sbom)).path("components")) {
      if (!component.path("purl").asText().startsWith("pkg:deb/")) {
        continue;
      }
      String source = property(component, "aquasecurity:trivy:SrcName");
      String sourceVersion = property(component, "aquasecurity:trivy:SrcVersion");
      for (JsonNode advisory : advisories.get("debian")) {
        if (!advisory.get("package").asText().equals(source)) {
          continue;
        }
        String fixed = advisory.path("fixed").asText("");
        if (fixed.isEmpty() || dpkgLessThan(sourceVersion, fixed)) {
          expected.add(advisory.get("id").asText() + " " + component.get("name").asText());
        }
      }
    }
    return expected;
  }

  private static String property(JsonNode component, String name) {
    for (JsonNode property : component.path("properties")) {
      if (property.path("name").asText().equals(name)) {
        return property.path("value").asText();
      }
    }
    throw new AssertionError(component.get("name") + " has no " + name);
  }

  private static boolean dpkgLessThan(String version, String other) {
    try {
      return new ProcessBuilder("dpkg", "--compare-versions", version, "lt", other).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode predicate(String stage) throws IOException {
    try (Stream<Path> files = Files.list(work.resolve("evidence/statements"))) {
      Path statement = files.filter(file -> file.getFileName().toString().endsWith("-" + stage + ".dsse.json")).findFirst().orElseThrow();
      return Json.parse(DsseEnvelope.parse(Files.readAllBytes(statement)).payload()).get("predicate");
    }
  }

  @Test
  void anImageScanFindsExactlyWhatTheAdvisoriesSayAboutTheImagesPackagesAndUnfixedOnesPassUnderIgnoreUnfixed() throws IOException {
    Path project = project("image", pipeline(scan(cache.toString(), ", failOn: [CRITICAL], ignoreUnfixed: true")));
    ReleaseResult result = release(project, "image", environment());

    assertEquals(ReleaseStatus.RELEASED, result.status(), stage(result, "scan").reason().orElse(""));
    Set<String> expected = expectedFromAdvisories(work.resolve("evidence/artifacts/sbom/bom.cdx.json"));
    assertTrue(expected.contains("CVE-2023-45853 zlib1g"), "the fixture still holds the unfixed CRITICAL this test relies on: " + expected);
    assertTrue(expected.stream().noneMatch(finding -> finding.startsWith("CVE-2023-4911")), "bookworm ships a glibc newer than that fix");
    assertEquals(expected, findings(work.resolve("evidence/artifacts/scan/trivy.json")));

    JsonNode scanner = predicate("scan").get("scanner");
    assertEquals("0.74.0", scanner.get("version").asText(), "the real version, from the build's ldflags");
    assertEquals("2", scanner.at("/db/version").asText());
    assertTrue(stage(result, "scan").warnings().isEmpty(), stage(result, "scan").warnings().toString());
  }

  @Test
  void withoutIgnoreUnfixedTheUnfixedCriticalFindingRejects() throws IOException {
    Path project = project("unfixed", pipeline(scan(cache.toString(), ", failOn: [CRITICAL]")));
    ReleaseResult result = release(project, "unfixed", environment());

    assertEquals(ReleaseStatus.REJECTED, result.status());
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2023-45853 zlib1g", stage(result, "scan").reason().orElseThrow());
  }

  @Test
  void aVulnerableJarInTheImageRejectsTheReleaseNamingTheCveAndTheJar() throws IOException {
    Path project = project("log4j", pipeline(scan(cache.toString(), ", failOn: [CRITICAL], ignoreUnfixed: true")));
    Peers.run(List.of("mvn", "-B", "-q", "dependency:copy", "-Dartifact=org.apache.logging.log4j:log4j-core:2.14.1",
        "-DoutputDirectory=target/dependency"), project);
    ReleaseResult result = release(project, "log4j", environment());

    assertEquals(ReleaseStatus.REJECTED, result.status());
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2021-44228 org.apache.logging.log4j:log4j-core",
        stage(result, "scan").reason().orElseThrow());
    JsonNode blocking = predicate("scan").at("/scanner/result/blockingFindings/0");
    assertEquals("2.14.1", blocking.get("installedVersion").asText());
    assertTrue(blocking.toString().contains("log4j-core-2.14.1.jar"), "the finding names the jar: " + blocking);
  }

  @Test
  void scanningTheSbomFindsWhatScanningTheImageFinds() throws IOException {
    Path project = project("sbom", pipeline(scan(cache.toString(), ", ignoreUnfixed: true")
        + scan(cache.toString(), ", ignoreUnfixed: true, mode: sbom").replace("name: scan,", "name: scan-sbom,")));
    ReleaseResult result = release(project, "sbom", environment());

    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    Set<String> image = findings(work.resolve("evidence/artifacts/scan/trivy.json"));
    assertFalse(image.isEmpty());
    assertEquals(image, findings(work.resolve("evidence/artifacts/scan-sbom/trivy.json")),
        "trivy sbom reads releasegate's SBOM (its Trivy properties, source packages, OS component) as it reads the image");
  }

  // ---- faults ----

  /** A trivy that runs the real one through {@code script} (bash, with $TRIVY the real binary). */
  private Path wrapper(String script) throws IOException {
    Path file = work.resolve("trivy-wrapper.sh");
    Files.writeString(file, "#!/bin/bash\nTRIVY='" + Peers.bin("trivy") + "'\n" + script + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void trivyKilledMidScanFailsTheStage() throws IOException {
    Path wrapper = wrapper("if [ \"$1\" = image ]; then \"$TRIVY\" \"$@\" & pid=$!; sleep 0.5; kill -9 $pid; wait $pid; exit; fi\nexec \"$TRIVY\" \"$@\"");
    Path project = project("killed", pipeline(scan(cache.toString(), ", path: " + wrapper)));
    ReleaseResult result = release(project, "killed", environment());

    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.ENVIRONMENT, stage(result, "scan").failure().orElseThrow());
    assertTrue(stage(result, "scan").reason().orElseThrow().startsWith("trivy image exited with 137"), stage(result, "scan").reason().orElseThrow());
  }

  @Test
  void aReportAboutAnotherDigestFailsTheStage() throws IOException {
    // The wrapper scans the base image instead of the one it was given.
    Path wrapper = wrapper("if [ \"$1\" = image ]; then set -- \"${@:1:$#-1}\" '" + base + "'; fi\nexec \"$TRIVY\" \"$@\"");
    Path project = project("other", pipeline(scan(cache.toString(), ", path: " + wrapper)));
    ReleaseResult result = release(project, "other", environment());

    assertEquals(ReleaseStatus.FAILED, result.status(), result.stages().toString());
    String reason = stage(result, "scan").reason().orElseThrow();
    assertTrue(reason.startsWith("trivy report is about " + base.substring(base.indexOf('@') + 1) + ", not sha256:"), reason);
  }

  @Test
  void aDbOlderThanMaxDbAgeHoursIsAWarningInTheStatement() throws IOException {
    Path old = Peers.trivyCache(work.resolve("old-cache"), "2026-01-01T00:00:00Z");
    Path project = project("old", pipeline(scan(old.toString(), ", ignoreUnfixed: true, maxDbAgeHours: 48")));
    ReleaseResult result = release(project, "old", environment());

    assertEquals(ReleaseStatus.RELEASED, result.status());
    assertTrue(stage(result, "scan").warnings().stream().anyMatch(warning -> warning.startsWith("trivy vulnerability DB was updated ")
        && warning.endsWith("(2026-01-01T00:00:00Z), more than maxDbAgeHours 48")), stage(result, "scan").warnings().toString());
    assertTrue(predicate("scan").at("/scanner/db/ageHours").asLong() > 48);
  }

  @Test
  void aMissingJavaDbOfflineFailsTheStageWithTrivysReason() throws IOException {
    Path noJava = Peers.trivyCache(work.resolve("no-java-cache"), null);
    try (Stream<Path> files = Files.walk(noJava.resolve("java-db"))) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
    Path project = project("nojava", pipeline(scan(noJava.toString(), ", ignoreUnfixed: true")));
    ReleaseResult result = release(project, "nojava", environment());

    assertEquals(ReleaseStatus.FAILED, result.status());
    assertEquals(FailureKind.ENVIRONMENT, stage(result, "scan").failure().orElseThrow());
    assertTrue(stage(result, "scan").reason().orElseThrow().contains("skip-java-db-update"), stage(result, "scan").reason().orElseThrow());
  }

  @Test
  void aPrivateRegistryIsScannedWithTheReleasesCredentialsWhichAppearNowhere() throws IOException {
    String password = "private-registry-pass-90417";
    LocalRegistry locked = new LocalRegistry().withBasicAuth("releaser", password);
    locked.start();
    try {
      Map<String, String> environment = environment();
      environment.put("RELEASEGATE_REGISTRY_USERNAME", "releaser");
      environment.put("RELEASEGATE_REGISTRY_PASSWORD", password);
      Path project = project("private", pipeline(scan(cache.toString(), ", ignoreUnfixed: true")));
      ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("evidence"))
          .imageRepository(locked.address() + "/private").baseImage(base).insecureRegistry(true).environment(environment)
          .version("1.0.0").build()).result();

      assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
      assertFalse(findings(work.resolve("evidence/artifacts/scan/trivy.json")).isEmpty(), "trivy read the image");
      try (Stream<Path> files = Files.walk(work.resolve("evidence"))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(password), file + " holds the password");
        }
      }
    } finally {
      locked.stop();
    }
  }
}
