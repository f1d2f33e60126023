package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness stage in real releases against a real registry: the example service passes; images
 * crafted with jib-core each trip exactly the check they were made to trip. A crafted image enters the
 * release through the test plug-in {@code fake-image}, which publishes it by digest as the build would.
 */
class ReadinessIT {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;

  @TempDir Path work;
  private int runs;

  @BeforeAll
  static void keys() {
    signer = TestKeys.write(shared, "signer");
  }

  // ---- the example service ----

  @Test
  void helloServicePassesTheLint() throws Exception {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Path pipeline = work.resolve("pipeline.yaml");
    Files.writeString(pipeline, "apiVersion: releasegate/v1\nstages:\n"
        + "  - {name: build, uses: jib}\n"
        + "  - {name: lint, uses: readiness, with: {tags: [\"{version}\", \"{gitShortSha}\"]}}\n");
    ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("evidence"))
        .imageRepository(registry.address() + "/hello").baseImage(BaseImages.java17()).insecureRegistry(true)
        .pipelineFile(pipeline).version("1.0.0").build()).result();

    StageEntry lint = result.stages().get(1);
    assertEquals(ReleaseStatus.RELEASED, result.status(), lint.details() + " " + lint.reason());
    JsonNode predicate = predicate(work.resolve("evidence"), "02-lint");
    assertEquals(Set.of(), ids(predicate, "fail"));
    assertEquals(Set.of(), ids(predicate, "warn"), "the distroless-style base has no shell or package manager: " + lint.warnings());
    assertEquals(Set.of("RG-IMG-012"), ids(predicate, "n-a"), "an OCI image: the health check is the smoke stage's");
    assertEquals(result.digest().orElseThrow(), predicate.at("/image/digest").asText());
    assertEquals("user 65532", check(predicate, "RG-IMG-001").get("measured").asText());
    assertEquals("-XX:MaxRAMPercentage=75.0 on the command line", check(predicate, "RG-IMG-011").get("measured").asText());
    assertTrue(predicate.at("/image/layers").size() >= 4, "base and application layers were all read");

    // The lint time: printed, not asserted, since machines differ. The release's own figure includes
    // the first registry connection; the repeats lint the same digest with everything warm, and their
    // minimum is the figure least disturbed by other work on the machine (whose load is printed too).
    long first = lint.durationMs();
    List<Long> repeats = new java.util.ArrayList<>();
    // CPU time does not grow with the machine's load as wall time does; it covers the whole release.
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    for (int i = 0; i < 5; i++) {
      ReleaseResult again = lintOnly("hello", result.digest().orElseThrow(), "{}", Map.of());
      assertEquals(ReleaseStatus.RELEASED, again.status());
      repeats.add(again.stages().get(1).durationMs());
    }
    long cpuPerRelease = (os.getProcessCpuTime() - cpuBefore) / 5 / 1_000_000;
    repeats.sort(null);
    System.out.printf("readiness lint of hello-service (%.1f MB compressed, %.1f MB uncompressed, %d layers): %d ms in the release;"
            + " repeated: min %d ms, median %d ms (target <= 1000 ms), process CPU %d ms per repeated release; %d CPUs, load average %s%n",
        predicate.at("/image/size").asLong() / 1e6, predicate.at("/image/uncompressedSize").asLong() / 1e6,
        predicate.at("/image/layers").size(), first, repeats.get(0), repeats.get(2), cpuPerRelease, Runtime.getRuntime().availableProcessors(),
        Files.isReadable(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).strip() : "unknown");
  }

  // ---- crafted images: each trips exactly its own check ----

  @Test
  void aCraftedImageWithNothingWrongPassesWithoutWarnings() throws Exception {
    ReleaseResult result = lintOnly("good", push("good", good()), "{tags: [\"{version}\"]}", Map.of());
    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(result.stages().get(1)));
    JsonNode predicate = predicate(result.evidenceDirectory(), "02-lint");
    assertEquals(Set.of(), ids(predicate, "fail"));
    assertEquals(Set.of(), ids(predicate, "warn"));
    assertEquals(Set.of("RG-IMG-011", "RG-IMG-012"), ids(predicate, "n-a"), "no java, OCI format");
    assertEquals(12, predicate.get("checks").size());
  }

  @Test
  void rootUser() throws Exception {
    assertRejectedBy("RG-IMG-001", "root", good().setUser("0"), "{}");
  }

  @Test
  void passwordInTheEnvironmentIsFoundAndNeverShown() throws Exception {
    ReleaseResult result = assertRejectedBy("RG-IMG-002", "password", good().setEnvironment(Map.of("DB_PASSWORD", "hunter2")), "{}");
    assertEquals(List.of("RG-IMG-002 No secrets in images: ENV DB_PASSWORD: secret-like name with a value (value not shown); fix: "
        + LintRule.CONFIG_SECRETS.fix()), result.stages().get(1).details());
    // Nowhere: not in the evidence bundle (statements, artifacts, index), not in any event of the run.
    try (Stream<Path> files = Files.walk(result.evidenceDirectory())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertFalse(content.contains("hunter2"), file + " holds the password");
        if (file.toString().endsWith(".dsse.json")) {
          String payload = new String(DsseEnvelope.parse(Files.readAllBytes(file)).payload(), StandardCharsets.UTF_8);
          assertFalse(payload.contains("hunter2"), file + " signs the password");
        }
      }
    }
    assertFalse(lastEvents.contains("hunter2"), "an event of the run holds the password");
    assertTrue(lastEvents.contains("ENV DB_PASSWORD"), "the table was shown: " + lastEvents);
  }

  @Test
  void privateKeyInALayer() throws Exception {
    Path key = Files.writeString(work.resolve("server.key"), LayerScannerTest.PEM_KEY);
    ReleaseResult result = assertRejectedBy("RG-IMG-003", "pem", good().addFileEntriesLayer(
        FileEntriesLayer.builder().addEntry(key, AbsoluteUnixPath.get("/app/certs/server.key")).build()), "{}");
    assertTrue(result.stages().get(1).details().get(0).contains("/app/certs/server.key in layer 2 (sha256:"),
        result.stages().get(1).details().toString());
  }

  @Test
  void shellFormEntrypoint() throws Exception {
    assertRejectedBy("RG-IMG-007", "shell", good().setEntrypoint("/bin/sh", "-c", "exec /app/server"), "{}");
  }

  @Test
  void oversizedImage() throws Exception {
    // Random bytes do not compress: 1.5 MB is over a 1 MB limit both compressed and uncompressed.
    byte[] noise = new byte[1_500_000];
    new Random(42).nextBytes(noise);
    Path blob = Files.write(work.resolve("noise.bin"), noise);
    assertRejectedBy("RG-IMG-004", "big", good().addFileEntriesLayer(
        FileEntriesLayer.builder().addEntry(blob, AbsoluteUnixPath.get("/app/data/noise.bin")).build()), "{maxImageMb: 1}");
  }

  @Test
  void baseImagePinnedByTagOnly() throws Exception {
    Map<String, String> labels = labels();
    labels.remove("org.opencontainers.image.base.digest");
    labels.put("org.opencontainers.image.base.name", "127.0.0.1:5000/base/java17:17");
    assertRejectedBy("RG-IMG-006", "by-tag", good().setLabels(labels), "{}");
  }

  @Test
  void missingOciLabels() throws Exception {
    Map<String, String> labels = labels();
    for (String name : Lint.REQUIRED_LABELS) {
      labels.remove(Lint.LABEL_PREFIX + name);
    }
    ReleaseResult result = assertRejectedBy("RG-IMG-005", "unlabelled", good().setLabels(labels), "{}");
    assertEquals("1 readiness check failed: RG-IMG-005 missing: revision, source, created, version",
        result.stages().get(1).reason().orElseThrow());
  }

  @Test
  void latestAmongThePushTags() throws Exception {
    assertRejectedBy("RG-IMG-010", "latest", good(), "{tags: [\"{version}\", latest]}");
  }

  @Test
  void dockerImageWithoutHealthcheckOnlyWarns() throws Exception {
    ReleaseResult result = lintOnly("docker", push("docker", good().setFormat(ImageFormat.Docker)), "{}", Map.of());
    assertEquals(ReleaseStatus.RELEASED, result.status(), "a warning does not reject");
    JsonNode predicate = predicate(result.evidenceDirectory(), "02-lint");
    assertEquals(Set.of("RG-IMG-012"), ids(predicate, "warn"));
    assertEquals("Docker", predicate.at("/image/format").asText());
    assertEquals(List.of("RG-IMG-012 Health checks: no Healthcheck in the Docker image config; fix: " + LintRule.HEALTHCHECK.fix()),
        result.stages().get(1).warnings());
  }

  // ---- waivers ----

  @Test
  void aValidWaiverAcceptsTheCheck() throws Exception {
    String digest = push("waived", good().setUser("0"));
    ReleaseResult result = lintOnly("waived", digest, "{waivers: .releasegate/readiness-waivers.yaml}",
        Map.of(".releasegate/readiness-waivers.yaml", waiver("2099-12-31", "reason: a one-shot migration job that must own /data")));

    assertEquals(ReleaseStatus.RELEASED, result.status(), String.valueOf(result.stages().get(1)));
    JsonNode predicate = predicate(result.evidenceDirectory(), "02-lint");
    assertEquals(Set.of("RG-IMG-001"), ids(predicate, "waived"));
    assertEquals("a one-shot migration job that must own /data", check(predicate, "RG-IMG-001").at("/waiver/reason").asText());
    assertEquals(".releasegate/readiness-waivers.yaml", predicate.at("/policy/waivers/file").asText());
    assertTrue(Files.isRegularFile(result.evidenceDirectory().resolve("artifacts/lint/waivers.yaml")), "the applied waivers are kept");
  }

  @Test
  void anExpiredWaiverFailsAgainAndSaysSo() throws Exception {
    String digest = push("expired", good().setUser("0"));
    ReleaseResult result = lintOnly("expired", digest, "{waivers: waivers.yaml}",
        Map.of("waivers.yaml", waiver("2020-01-31", "reason: a one-shot migration job")));

    assertEquals(ReleaseStatus.REJECTED, result.status());
    assertEquals(Set.of("RG-IMG-001"), ids(predicate(result.evidenceDirectory(), "02-lint"), "fail"));
    assertEquals(List.of("waiver for RG-IMG-001 expired on 2020-01-31; it no longer applies"), result.stages().get(1).warnings());
  }

  @Test
  void aWaiverWithoutReasonIsInvalidInput() throws Exception {
    String digest = push("no-reason", good().setUser("0"));
    ReleaseResult result = lintOnly("no-reason", digest, "{waivers: waivers.yaml}", Map.of("waivers.yaml", waiver("2099-12-31", "")));

    assertEquals(ReleaseStatus.FAILED, result.status());
    StageEntry lint = result.stages().get(1);
    assertEquals(FailureKind.INVALID_INPUT, lint.failure().orElseThrow(), "exit code 2");
    assertEquals("waivers.yaml:2:5: waiver 1 (RG-IMG-001): 'reason' is required", lint.reason().orElseThrow());
  }

  // ---- failing closed ----

  @Test
  void aDigestTheRegistryDoesNotHaveFailsAsEnvironment() throws Exception {
    ReleaseResult result = lintOnly("nothing", "sha256:" + "0".repeat(64), "{}", Map.of());
    assertEquals(ReleaseStatus.FAILED, result.status());
    StageEntry lint = result.stages().get(1);
    assertEquals(FailureKind.ENVIRONMENT, lint.failure().orElseThrow(), "exit code 3: the lint could not read the image");
    assertTrue(lint.reason().orElseThrow().startsWith("registry " + registry.address() + " answered HTTP 404"), lint.reason().orElseThrow());
  }

  // ---- helpers ----

  private String lastEvents = "";

  /** Runs [fake-image (publishes repository@digest), readiness] in a fresh project; returns the result. */
  private ReleaseResult lintOnly(String repository, String digest, String with, Map<String, String> files) {
    runs++;
    Map<String, String> all = new LinkedHashMap<>(files);
    all.put("releasegate.yaml", "apiVersion: releasegate/v1\nimage:\n  repository: " + registry.address() + "/" + repository + "\nstages:\n"
        + "  - {name: build, uses: fake-image, with: {digest: \"" + digest + "\"}}\n"
        + "  - {name: lint, uses: readiness, with: " + with + "}\n");
    all.put(".gitignore", "target/\n");
    Path project = TestRepos.create(work.resolve("project-" + runs), all);
    Releases.Run run = Releases.run(Releases.request(project, signer, work.resolve("evidence-" + runs)).insecureRegistry(true).build());
    lastEvents = run.events().toString();
    return run.result();
  }

  /** Pushes the crafted image to {@code repository}, lints it, and asserts that {@code id} is the only failed check. */
  private ReleaseResult assertRejectedBy(String id, String repository, JibContainerBuilder image, String with) throws Exception {
    ReleaseResult result = lintOnly(repository, push(repository, image), with, Map.of());
    assertEquals(ReleaseStatus.REJECTED, result.status(), String.valueOf(result.stages().get(1)));
    assertEquals(FailureKind.REJECTED, result.stages().get(1).failure().orElseThrow());
    JsonNode predicate = predicate(result.evidenceDirectory(), "02-lint");
    assertEquals(Set.of(id), ids(predicate, "fail"), "exactly its own check fails");
    assertEquals(Set.of(), ids(predicate, "warn"));
    assertEquals("rejected", predicate.at("/gate/decision").asText());
    return result;
  }

  /** The crafted baseline: from scratch, non-root, exec form, a port, every label, a pinned base. */
  private JibContainerBuilder good() throws IOException {
    Path server = Files.writeString(work.resolve("server"), "not really a server\n");
    return Jib.fromScratch()
        .setFormat(ImageFormat.OCI)
        .setUser("65532")
        .setEntrypoint("/app/server")
        .setExposedPorts(Set.of(Port.tcp(8080)))
        .setLabels(labels())
        .addFileEntriesLayer(FileEntriesLayer.builder().addEntry(server, AbsoluteUnixPath.get("/app/server")).build());
  }

  private static Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567");
    labels.put("org.opencontainers.image.source", "https://example.test/acme/crafted.git");
    labels.put("org.opencontainers.image.created", "2026-01-02T03:04:05Z");
    labels.put("org.opencontainers.image.version", "1.2.3");
    labels.put("org.opencontainers.image.base.name", "scratch");
    labels.put("org.opencontainers.image.base.digest", "sha256:" + "ab".repeat(32));
    return labels;
  }

  /** Pushes the image to {@code repository} in the test registry; returns its digest. */
  private String push(String repository, JibContainerBuilder image) throws Exception {
    Containerizer containerizer = Containerizer.to(RegistryImage.named(registry.address() + "/" + repository))
        .setAllowInsecureRegistries(true)
        .setBaseImageLayersCache(work.resolve("jib-cache/base"))
        .setApplicationLayersCache(work.resolve("jib-cache/application"))
        .setToolName("readiness-it");
    return image.containerize(containerizer).getDigest().toString();
  }

  private static String waiver(String expires, String reasonLine) {
    return "waivers:\n  - id: RG-IMG-001\n" + (reasonLine.isEmpty() ? "" : "    " + reasonLine + "\n") + "    expires: " + expires + "\n";
  }

  private static JsonNode predicate(Path evidence, String statement) throws IOException {
    byte[] envelope = Files.readAllBytes(evidence.resolve("statements/" + statement + ".dsse.json"));
    JsonNode payload = Json.parse(DsseEnvelope.parse(envelope).payload());
    assertEquals(ReadinessStageFactory.PREDICATE_TYPE, payload.get("predicateType").asText());
    return payload.get("predicate");
  }

  private static Set<String> ids(JsonNode predicate, String result) {
    Set<String> ids = new TreeSet<>();
    for (JsonNode check : predicate.get("checks")) {
      if (check.get("result").asText().equals(result)) {
        ids.add(check.get("id").asText());
      }
    }
    return ids;
  }

  private static JsonNode check(JsonNode predicate, String id) {
    for (JsonNode check : predicate.get("checks")) {
      if (check.get("id").asText().equals(id)) {
        return check;
      }
    }
    throw new AssertionError("no check " + id + " in " + predicate);
  }
}
