package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.evidence.EvidenceWriter;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.testing.Fixtures;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Evidence bundles for the report tests. Three come from real releases run in process (test stage,
 * the fake-image plug-in, the trivy stage against the trivy test double, the shout plug-in). The
 * fourth, the full pipeline, holds the real predicates a demo run of every built-in stage wrote
 * (src/test/resources/report/predicates, see the README there), signed here into a bundle by the real
 * bundle writer: the stages that need a registry and podman cannot run in a unit test.
 */
final class Bundles {
  static final String REPOSITORY = "127.0.0.1:5000/hello-service";
  /** The image the demo run released; the full pipeline's predicates name it. */
  static final ImageReference DEMO_IMAGE =
      new ImageReference("127.0.0.1:44165/hello-service", "sha256:513c410e529b3498ae96b2ab2a5e388a9017b673602f16d683c5657b0ce0bd52");
  static final String CI_URL = "https://github.com/acme/hello-service/actions/runs/4242";

  private static final String PASSING_TESTS = """
      mkdir -p target/r
      cat > target/r/TEST-com.acme.GreeterTest.xml <<'XML'
      <testsuite name="com.acme.GreeterTest" tests="2"><testcase classname="com.acme.GreeterTest" name="greets"/><testcase classname="com.acme.GreeterTest" name="greetsByName"/></testsuite>
      XML
      """;
  /** One test passes, one fails (with markup and quotes in its name), one is skipped; the command exits 1 as Maven would. */
  private static final String FAILING_TESTS = """
      mkdir -p target/r
      cat > target/r/TEST-com.acme.GreeterTest.xml <<'XML'
      <testsuite name="com.acme.GreeterTest" tests="3"><testcase classname="com.acme.GreeterTest" name="greets"/><testcase classname="com.acme.GreeterTest" name="escapes &lt;b&gt;&amp;&quot;quotes&quot;"><failure message="expected 1">boom</failure></testcase><testcase classname="com.acme.GreeterTest" name="later"><skipped/></testcase></testsuite>
      XML
      exit 1
      """;

  private Bundles() {}

  /** A real run whose test stage rejects the release: 1 passed, 1 failed, 1 skipped; later stages not run. */
  static Path testRejected(Path work, Path signer) {
    Path project = project(work.resolve("test-rejected-project"), FAILING_TESTS, """
          - {name: build, uses: fake-image}
          - {name: shout, uses: shout, with: {message: hello}}
        """, Map.of());
    return release(project, signer, work.resolve("test-rejected"), Releases.environment(), ReleaseStatus.REJECTED);
  }

  /**
   * A real run whose scan rejects the release: the Alpine report's CRITICAL CVE-2019-14697 in musl
   * blocks; the same CVE in musl-utils is waived; a second waiver has expired.
   */
  static Path scanRejected(Path work, Path signer) {
    String waivers = "waivers:\n"
        + waiver("CVE-2019-14697", "musl-utils", "<b>not reachable</b> from the service", LocalDate.now(ZoneOffset.UTC).plusYears(1))
        + waiver("CVE-2018-0001", "zlib", "old exception", LocalDate.of(2020, 1, 1));
    Path project = project(work.resolve("scan-rejected-project"), PASSING_TESTS, """
          - {name: build, uses: fake-image}
          - {name: scan, uses: trivy, with: {failOn: [CRITICAL], waivers: .releasegate/waivers.yaml}}
          - {name: shout, uses: shout, with: {message: hello}, needs: [scan]}
        """, Map.of(".releasegate/waivers.yaml", waivers));
    return release(project, signer, work.resolve("scan-rejected"), trivy(work, "alpine-39-high-critical.json"), ReleaseStatus.REJECTED);
  }

  /** A real run that is released: tests pass, the Debian report's CRITICAL finding is waived, the LOW one does not block. */
  static Path scanReleased(Path work, Path signer) {
    String waivers = "waivers:\n" + waiver("CVE-2019-18224", "libidn2-0", "no user input reaches it", LocalDate.now(ZoneOffset.UTC).plusYears(1));
    Path project = project(work.resolve("released-project"), PASSING_TESTS, """
          - {name: build, uses: fake-image}
          - {name: scan, uses: trivy, with: {failOn: [CRITICAL, HIGH], waivers: .releasegate/waivers.yaml}}
          - {name: shout, uses: shout, with: {message: hello}}
        """, Map.of(".releasegate/waivers.yaml", waivers));
    return release(project, signer, work.resolve("released"), trivy(work, "debian-buster.json"), ReleaseStatus.RELEASED);
  }

  /** The full built-in pipeline as the demo ran it (scan skipped), signed with {@code signer}'s key. */
  static Path fullPipeline(Path dir, Path signer) {
    return fullPipeline(dir, signer, UnaryOperator.identity());
  }

  /**
   * The full pipeline, each predicate passed through {@code edit} before it is signed: the bundle stays
   * authentic whatever the predicates say, as a bundle whose SBOM names a hostile component would be.
   */
  static Path fullPipeline(Path dir, Path signer, UnaryOperator<ObjectNode> edit) {
    try {
      DsseSigner envelopes = new DsseSigner(new KeySigner(CosignKeyFile.read(TestKeys.key(signer), TestKeys.PASSWORD.toCharArray())));
      EvidenceWriter writer = EvidenceWriter.create(dir, envelopes);
      // The run record is built as JSON and read like bundle.json, so this helper does not depend on
      // the record's constructors.
      ObjectNode record = Json.object();
      record.put("runId", "7586451c-1dd3-48e8-95aa-d2888c6d2223");
      record.putObject("tool").put("name", "releasegate").put("version", "0.1.0");
      record.put("startedAt", "2026-11-23T06:37:34.600Z");
      record.putObject("git").put("commit", "a4ad2f79b8f2e3b3ab5b26c98860aee5922d0dd4").put("shortCommit", "a4ad2f7")
          .put("commitTime", "2026-11-23T06:37:33Z").put("source", "https://example.com/releasegate/hello-service.git").put("tag", "v1.0.0")
          .putArray("dirtyPaths");
      record.put("version", "1.0.0");
      record.put("allowDirty", false);
      record.putObject("pipeline").put("location", "releasegate.yaml").put("sha256", "6822fd005d3790fadbcb7d0817ad3492d672f053de4a10ed5b4858aeabb516cb");
      record.putObject("image").put("repository", DEMO_IMAGE.repository()).put("digest", DEMO_IMAGE.digest());
      record.putArray("tags").add("1.0.0").add("a4ad2f7");
      ArrayNode stages = record.putArray("stages");
      // The predicate files are named for the order the stages ran in before gates came first.
      String[][] plan = {
        {"01-test", "test", "test", "gate"}, {"02-build", "build", "jib", "gate"}, {"03-sbom", "sbom", "cyclonedx", "gate"},
        {null, "scan", "trivy", "gate"}, {"05-lint", "lint", "readiness", "gate"}, {"09-smoke", "smoke", "smoke", "gate"},
        {"07-sign", "sign", "sign", "publisher"}, {"08-verify", "verify", "verify", "publisher"}, {"06-push", "push", "push", "publisher"}};
      for (int i = 0; i < plan.length; i++) {
        String[] stage = plan[i];
        ObjectNode entry = stages.addObject().put("name", stage[1]).put("type", stage[2]).put("kind", stage[3]);
        if (stage[0] == null) {
          entry.put("status", "skipped").put("reason", "skipped with --skip").put("durationMs", 0).putArray("artifacts");
          continue;
        }
        JsonNode fixture;
        try (InputStream in = Bundles.class.getResourceAsStream("/report/predicates/" + stage[0] + ".json")) {
          fixture = Json.parse(in.readAllBytes());
        }
        ObjectNode statement = Json.object();
        statement.put("_type", "https://in-toto.io/Statement/v1");
        // Every statement of a run that built an image names its digest; the test's also its commit.
        ArrayNode subject = Json.array().add(RunRecord.imageSubject(DEMO_IMAGE));
        if (stage[1].equals("test")) {
          subject.add(fixture.get("subject").get(0));
        }
        statement.set("subject", subject);
        statement.put("predicateType", fixture.get("predicateType").asText());
        statement.set("predicate", edit.apply((ObjectNode) fixture.get("predicate").deepCopy()));
        EvidenceWriter.SignedFile file = writer.writeStatement(i + 1, stage[1], statement);
        entry.put("status", "passed").put("startedAt", "2026-11-23T06:37:" + (35 + i) + "Z").put("durationMs", fixture.get("durationMs").asLong())
            .put("predicateType", fixture.get("predicateType").asText()).put("statement", file.path()).put("sha256", file.sha256())
            .putArray("artifacts");
      }
      record.put("status", "released");
      ObjectNode ci = record.putObject("ci").put("system", "github-actions").put("url", CI_URL);
      ci.putObject("facts").put("GITHUB_REPOSITORY", "acme/hello-service").put("GITHUB_RUN_ID", "4242");
      record.put("isolation", "none");
      RunRecord run = RunRecord.fromJson(record);
      writer.finish(run, Instant.parse("2026-11-23T06:37:52Z"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path project(Path dir, String tests, String stages, Map<String, String> files) {
    Map<String, String> all = new LinkedHashMap<>(files);
    all.put("run-tests.sh", tests);
    all.put("releasegate.yaml", "apiVersion: releasegate/v1\nimage:\n  repository: " + REPOSITORY + "\nstages:\n"
        + "  - {name: test, uses: test, with: {command: [sh, run-tests.sh], reports: [target/r/*.xml]}}\n" + stages);
    all.put(".gitignore", "target/\n");
    return TestRepos.create(dir, all);
  }

  private static Path release(Path project, Path signer, Path evidence, Map<String, String> environment, ReleaseStatus expected) {
    ReleaseStatus status = Releases.run(Releases.request(project, signer, evidence).environment(environment).build()).result().status();
    assertEquals(expected, status, "release of " + project);
    return evidence;
  }

  private static String waiver(String id, String pkg, String reason, LocalDate expires) {
    return "  - id: " + id + "\n    package: " + pkg + "\n    reason: \"" + reason + "\"\n    expires: " + expires + "\n";
  }

  /**
   * The release environment with the trivy test double (src/test/resources/trivy) first on PATH,
   * replaying {@code fixture}. Copied here because class-path resources lose their file mode.
   */
  private static Map<String, String> trivy(Path work, String fixture) {
    Path bin = work.resolve("trivy-bin-" + fixture);
    try (InputStream script = Bundles.class.getResourceAsStream("/trivy/trivy-double.sh")) {
      Files.createDirectories(bin);
      Path executable = bin.resolve("trivy");
      Files.copy(script, executable);
      Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("PATH", bin + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("DOUBLE_REPORT", Fixtures.file("trivy/" + fixture).toString());
    return environment;
  }
}
