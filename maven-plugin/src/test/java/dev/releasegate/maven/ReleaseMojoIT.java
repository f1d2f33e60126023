package dev.releasegate.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.api.ImageReport;
import dev.releasegate.api.ImageVerification;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.Trust;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Peers;
import dev.releasegate.testing.Podman;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plug-in in real Maven builds of a copy of examples/hello-service in a git repository, released
 * into a loopback registry through every gate of the example's pipeline: the real trivy with the
 * offline DB, podman for the smoke test, cosign-compatible signatures. Each test is one or two Maven
 * runs, counted by {@link MavenRuns}.
 */
class ReleaseMojoIT {
  /** The release-ready example: its tests, its image, its probes. */
  private static final String EXAMPLE_SCAN = "      failOn: [CRITICAL]\n      ignoreUnfixed: true\n";

  @TempDir static Path shared;
  static LocalRegistry registry;
  static Path signer;
  static String base;
  static Path trivyCache;
  static MavenRuns maven;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    assertTrue(Podman.available(), "podman is needed for the smoke stage (scripts/setup installs it)");
    registry = BaseImages.registry();
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
    trivyCache = Peers.trivyCache(shared.resolve("trivy-cache"), null);
    maven = new MavenRuns(shared.resolve("maven"));
  }

  /** What the builds see: the key's password, podman's configuration, trivy and the counting mvn first on the PATH. */
  private static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("CONTAINERS_CONF", Podman.containersConf().toString());
    environment.put("PATH", maven.path(Peers.pathWithTrivy()));
    return environment;
  }

  /**
   * The example in a repository of its own, with the plug-in in its pom ({@code plugin} inside
   * {@code <plugin>} after the coordinates) and the scan offline; {@code scan} replaces the example's
   * scan settings.
   */
  private Path project(String repository, String plugin, String scan) throws IOException {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello-service"));
    String pom = Files.readString(project.resolve("pom.xml"));
    String plugins = "    </plugins>\n  </build>";
    assertTrue(pom.contains(plugins), "the example's pom ends its plug-ins as expected");
    pom = pom.replace(plugins, "      <plugin>\n        <groupId>dev.releasegate</groupId>\n        <artifactId>releasegate-maven-plugin</artifactId>\n"
        + "        <version>" + System.getProperty("releasegate.plugin.version") + "</version>\n"
        + "        <configuration>\n          <image>" + registry.address() + "/" + repository + "</image>\n"
        + "          <key>" + TestKeys.key(signer) + "</key>\n          <insecureRegistry>true</insecureRegistry>\n        </configuration>\n"
        + plugin + "      </plugin>\n" + plugins);
    String pipeline = Files.readString(project.resolve("releasegate.yaml"));
    assertTrue(pipeline.contains(EXAMPLE_SCAN), "the example's scan settings are as expected");
    pipeline = pipeline.replace(EXAMPLE_SCAN, scan + "      cacheDir: " + trivyCache + "\n      skipDbUpdate: true\n      skipJavaDbUpdate: true\n"
        + "      offlineScan: true\n");
    TestRepos.commit(project, "pom.xml", pom, "release with the plug-in");
    TestRepos.commit(project, "releasegate.yaml", pipeline, "scan offline");
    return project;
  }

  private void nothingWrittenTo(String repository) {
    for (String method : List.of("PUT", "POST", "PATCH", "DELETE")) {
      assertEquals(List.of(), registry.requests(method, "^/v2/" + repository + "/"), method + " to " + repository);
    }
  }

  private static String artifact(Path evidence, String path) throws IOException {
    return Files.readString(evidence.resolve("artifacts").resolve(path), StandardCharsets.UTF_8);
  }

  @Test
  void verifyThenReleaseReleasesTheExampleThroughEveryGateWithOneMavenRun() throws IOException {
    Path project = project("hello-released", "", EXAMPLE_SCAN);
    Path evidence = work.resolve("evidence");
    maven.takeInvocations();

    MavenRuns.Result build = maven.run(project, environment(), "verify", "releasegate:release", "-Dreleasegate.base=" + base,
        "-Dreleasegate.evidence=" + evidence);

    assertEquals(0, build.exitCode(), build.toString());
    assertEquals(1, maven.takeInvocations().size(), "Maven ran once: the release built and tested nothing again");
    String image = registry.address() + "/hello-released";
    String digest = registry.manifestDigest("hello-released", "1.0.0").orElseThrow(() -> new AssertionError("no tag 1.0.0\n" + build));
    assertTrue(build.log().contains("[INFO] RELEASED " + image + "@" + digest + " tags 1.0.0, "), build.log());
    for (String stage : List.of("test", "build", "sbom", "scan", "lint", "smoke", "sign", "verify", "push")) {
      assertTrue(build.log().contains("[INFO]   ✓ " + stage + " passed in "), stage + " passed: " + build.log());
    }
    // What the release read and took is what this build wrote.
    assertEquals("the build that runs this release ran the tests; only its reports are read\n", artifact(evidence, "test/output.log"));
    assertTrue(artifact(evidence, "build/build.log").contains("nothing was built again"), artifact(evidence, "build/build.log"));
    try (Stream<Path> reports = Files.list(evidence.resolve("artifacts/test/reports/target/surefire-reports"))) {
      assertFalse(reports.toList().isEmpty(), "this build's surefire reports are in the evidence");
    }

    EvidenceReport bundle = Releasegate.verifyEvidence(evidence, TestKeys.pub(signer), EvidencePolicy.NONE);
    assertTrue(bundle.accepted(), bundle.toString());
    assertTrue(build.log().contains("WARNING: the project's code runs WITHOUT isolation from the release's secrets (the project was built and tested"
        + " by the build that runs this release, in the process that holds its secrets)"), build.log());
    assertEquals(List.of("policy: the project's commands ran without isolation from the release's secrets (isolation: none)"),
        Releasegate.verifyEvidence(evidence, TestKeys.pub(signer), new EvidencePolicy(List.of(), false, true)).policyViolations(),
        "the record does not claim a sandbox the build never ran in");
    assertEquals(java.util.Optional.of(image + "@" + digest), bundle.image());
    ImageReport signed = Releasegate.verifyImage(image + "@" + digest, new Trust.Key(TestKeys.pub(signer)),
        ImageVerification.of(environment()).insecureRegistry(true));
    assertTrue(signed.verified(), signed.toString());
  }

  @Test
  void aFailingTestFailsTheBuildAndPushesNothing() throws IOException {
    Path project = project("hello-failing",
        "        <executions>\n          <execution>\n            <goals>\n              <goal>release</goal>\n            </goals>\n"
            + "          </execution>\n        </executions>\n", EXAMPLE_SCAN);
    TestRepos.commit(project, "src/test/java/dev/releasegate/examples/hello/BrokenTest.java",
        "package dev.releasegate.examples.hello;\n\nclass BrokenTest {\n  @org.junit.jupiter.api.Test\n  void fails() {\n"
            + "    org.junit.jupiter.api.Assertions.fail(\"broken on purpose\");\n  }\n}\n", "a failing test");
    maven.takeInvocations();

    // Bound to verify: Surefire stops the build before the release starts.
    MavenRuns.Result stopped = maven.run(project, environment(), "verify", "-Dreleasegate.base=" + base);

    assertEquals(1, stopped.exitCode(), stopped.toString());
    assertTrue(stopped.log().contains("There are test failures"), stopped.log());
    assertFalse(stopped.log().contains("releasegate: run "), "the release did not start: " + stopped.log());

    // With the failure ignored, the test stage reads it in this build's reports and rejects the release.
    MavenRuns.Result rejected = maven.run(project, environment(), "verify", "-Dreleasegate.base=" + base, "-Dmaven.test.failure.ignore=true");

    assertEquals(1, rejected.exitCode(), rejected.toString());
    assertTrue(rejected.log().contains("releasegate: the release was rejected by stage 'test': 1 test failed in the build that runs this release\n"), rejected.log());
    assertTrue(rejected.log().contains("failed: dev.releasegate.examples.hello.BrokenTest"), rejected.log());
    assertTrue(rejected.log().contains("MAVEN/MojoFailureException"), "a rejection fails the build: " + rejected.log());
    assertEquals(2, maven.takeInvocations().size(), "one Maven per build");
    nothingWrittenTo("hello-failing");
  }

  @Test
  void aBlockingVulnerabilityRejectsTheReleaseAndTagsNothing() throws IOException {
    // Without ignoreUnfixed the base image's unfixed critical zlib finding blocks, as the advisories say.
    Path project = project("hello-rejected", "", "      failOn: [CRITICAL]\n");

    MavenRuns.Result build = maven.run(project, environment(), "verify", "releasegate:release", "-Dreleasegate.base=" + base,
        "-Dreleasegate.skip=smoke");

    assertEquals(1, build.exitCode(), build.toString());
    assertTrue(build.log().contains("releasegate: the release was rejected by stage 'scan': "
        + "1 blocking vulnerability (failOn CRITICAL): CVE-2023-45853 zlib1g\n"), build.log());
    assertTrue(build.log().contains("MAVEN/MojoFailureException"), build.log());
    assertTrue(build.log().contains("[INFO]   - smoke skipped"), "the skip list reached the release: " + build.log());
    assertEquals(List.of(), registry.tags("hello-rejected"), "no tag");
  }

  @Test
  void aMissingBaseImageIsAnErrorWithItsMessage() throws IOException {
    Path project = project("hello-no-base", "", EXAMPLE_SCAN);
    String missing = registry.address() + "/base/missing:17";

    MavenRuns.Result build = maven.run(project, environment(), "verify", "releasegate:release", "-Dreleasegate.base=" + missing);

    assertEquals(1, build.exitCode(), build.toString());
    assertTrue(build.log().contains("releasegate: stage 'build' could not decide because of the environment: base image " + missing
        + " not found in registry " + registry.address() + "\n"), build.log());
    assertTrue(build.log().contains("MAVEN/MojoExecutionException"), "an error, not a rejection: " + build.log());
    nothingWrittenTo("hello-no-base");
  }
}
