package dev.releasegate.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.releasegate.registry.Descriptor;
import dev.releasegate.registry.Referrers;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.FlakyProxy;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Podman;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Released" means released, in the registry, with the real example, podman and docker-registry: a
 * rejected release leaves nothing a deployer's tool would accept; a released digest carries its signed
 * verdict and its evidence, and the registry alone verifies both.
 */
class ReleasedMeansReleasedIT {
  private static final String VSA = "https://slsa.dev/verification_summary/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;
  static String base;
  static Path template;

  @TempDir Path work;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void setUp() throws Exception {
    assumeTrue(Podman.available(), "podman is not installed");
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
    template = Examples.builtHelloService(shared.resolve("template"));
  }

  @AfterEach
  void noContainerOfOursIsLeft() {
    String prefix = registry.address() + "/";
    assertEquals(List.of(), Podman.psAll().stream().filter(container -> container.image().startsWith(prefix)).toList(),
        "containers left behind");
  }

  private static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    environment.put("CONTAINERS_CONF", Podman.containersConf().toString());
    return environment;
  }

  /** The compiled example in a repository of its own; {@code pipeline} replaces its releasegate.yaml. */
  private Path project(String name, String pipeline) {
    return TestRepos.copyBuilt(template, work.resolve(name), pipeline == null ? Map.of() : Map.of("releasegate.yaml", pipeline));
  }

  private String[] release(Path project, String repository, Path evidence, String... more) {
    List<String> args = new ArrayList<>(List.of("release", "--project", project.toString(), "--image", repository, "--base", base,
        "--insecure-registry", "--version", "1.0.0", "--key", TestKeys.key(signer).toString(), "--evidence", evidence.toString(), "--json"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static JsonNode json(Cli.Result result) throws IOException {
    return JSON.readTree(result.stdout());
  }

  /** The example's own pipeline, with the smoke probes replaced. */
  private static String examplePipeline(String probes) throws IOException {
    String pipeline = Files.readString(Examples.helloService().resolve("releasegate.yaml"));
    String original = "probes: [/healthz, {path: /readyz, jsonPath: /status, equals: ready}]";
    assertTrue(pipeline.contains(original), "the example still has the probes this test replaces");
    return pipeline.replace(original, "probes: " + probes);
  }

  @Test
  void aReleaseTheSmokeGateRejectsLeavesNothingInTheRegistryADeployerWouldAccept() throws Exception {
    Path project = project("rejected", examplePipeline("[/healthz, /nope]"));
    String repository = registry.address() + "/rejected";
    Cli.Result result = Cli.run(environment(), work, release(project, repository, work.resolve("evidence"), "--skip", "scan"));

    assertEquals(1, result.exitCode(), result.toString());
    JsonNode run = json(result);
    assertEquals("rejected", run.get("status").asText());
    Map<String, String> statuses = new HashMap<>();
    run.get("stages").forEach(stage -> statuses.put(stage.get("name").asText(), stage.get("status").asText()));
    assertEquals("failed", statuses.get("smoke"), result.toString());
    for (String publisher : List.of("sign", "verify", "push")) {
      assertEquals("skipped", statuses.get(publisher), publisher + " never started: " + result);
    }
    String digest = run.get("digest").asText();
    assertTrue(registry.manifestDigest("rejected", digest).isPresent(), "the gates ran on the digest in the registry");
    assertEquals(List.of(), registry.tags("rejected"), "no version or sha tag, no .sig, .att or referrers tag");
    assertEquals(List.of(), registry.requests("PUT", "/v2/rejected/manifests/(?!sha256:)"), "no manifest was ever put under a tag");
    assertEquals(404, get("/v2/rejected/referrers/" + digest, "application/vnd.oci.image.index.v1+json").statusCode(),
        "this registry has no referrers API, and so no referrer either");
    assertTrue(result.stderr().contains("nothing was written to the registry that a deployer's tool would accept"), result.stderr());

    Cli.Result image = Cli.run(work, "verify-image", repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(1, image.exitCode(), image.toString());
    Cli.Result evidence = Cli.run(work, "verify-evidence", repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(1, evidence.exitCode(), evidence.toString());
    assertTrue(evidence.stdout().contains("no evidence for " + digest), evidence.stdout());
  }

  @Test
  void aReleasedDigestCarriesItsVerdictAndEvidenceAndTheRegistryAloneVerifiesThem() throws Exception {
    Path project = project("released", null);
    String repository = registry.address() + "/released";
    Path evidence = work.resolve("evidence");
    Cli.Result result = Cli.run(environment(), work, release(project, repository, evidence, "--skip", "scan"));
    assertEquals(0, result.exitCode(), result.toString());
    JsonNode run = json(result);
    String digest = run.get("digest").asText();
    assertTrue(run.at("/attachments/verdict").asBoolean(), result.stdout());
    String artifact = run.at("/attachments/evidence").asText();

    // The project's own reader, as a deployer runs it: the verdict and every gate's statement are attached.
    Cli.Result image = Cli.run(work, "verify-image", repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry",
        "--require-predicate", VSA, "--require-predicate", "https://in-toto.io/attestation/test-result/v0.1",
        "--require-predicate", "https://releasegate.dev/smoke/v1", "--require-predicate", "https://cyclonedx.org/bom");
    assertEquals(0, image.exitCode(), image.toString());

    // An independent reader: plain HTTP, a DSSE check by hand, the JDK's ECDSA.
    JsonNode summary = independentlyVerifiedVerdict("released", digest);
    assertEquals("PASSED", summary.at("/predicate/verificationResult").asText());
    assertTrue(summary.at("/predicate/resourceUri").asText().endsWith("@" + digest), summary.toString());
    assertEquals(digest.substring(7), summary.at("/subject/0/digest/sha256").asText());

    // The evidence round trip: the local folder goes, the registry copy verifies.
    deleteTree(evidence);
    Cli.Result remote = Cli.run(work, "verify-evidence", repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(0, remote.exitCode(), remote.toString());
    assertTrue(remote.stdout().contains("(evidence " + artifact + "): verified: released " + repository + "@" + digest), remote.stdout());
    Cli.Result report = Cli.run(work, "report", repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(0, report.exitCode(), report.toString());
    assertTrue(report.stdout().contains("VERIFIED: released " + repository + "@" + digest), report.stdout());

    // One byte changed in the registry's copy of the evidence.
    JsonNode manifest = JSON.readTree(get("/v2/released/manifests/" + artifact, "application/vnd.oci.image.manifest.v1+json").body());
    String layer = manifest.at("/layers/0/digest").asText();
    Path blob = registry.storageDirectory().resolve("docker/registry/v2/blobs/sha256/" + layer.substring(7, 9) + "/" + layer.substring(7) + "/data");
    try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
      long middle = file.length() / 2;
      file.seek(middle);
      int value = file.read();
      file.seek(middle);
      file.write(value ^ 0x01);
    }
    Cli.Result tampered = Cli.run(work, "verify-evidence", repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(1, tampered.exitCode(), tampered.toString());
    assertTrue(tampered.stdout().contains("NOT VERIFIED"), tampered.stdout());
  }

  /** Reads the verdict attestation with nothing of releasegate's: HTTP, JSON, the DSSE PAE and ECDSA by hand. */
  private JsonNode independentlyVerifiedVerdict(String name, String digest) throws Exception {
    JsonNode attestations = JSON.readTree(get("/v2/" + name + "/manifests/" + digest.replace(':', '-') + ".att",
        "application/vnd.oci.image.manifest.v1+json").body());
    JsonNode layer = null;
    for (JsonNode candidate : attestations.get("layers")) {
      if (VSA.equals(candidate.at("/annotations/predicateType").asText())) {
        layer = candidate;
      }
    }
    assertTrue(layer != null, "a layer with predicateType " + VSA + ": " + attestations);
    JsonNode envelope = JSON.readTree(get("/v2/" + name + "/blobs/" + layer.get("digest").asText(), "*/*").body());
    String payloadType = envelope.get("payloadType").asText();
    byte[] payload = Base64.getDecoder().decode(envelope.get("payload").asText());
    ByteArrayOutputStream pae = new ByteArrayOutputStream();
    pae.writeBytes(("DSSEv1 " + payloadType.getBytes(StandardCharsets.UTF_8).length + " " + payloadType + " " + payload.length + " ")
        .getBytes(StandardCharsets.UTF_8));
    pae.writeBytes(payload);
    String pem = Files.readString(TestKeys.pub(signer)).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    Signature ecdsa = Signature.getInstance("SHA256withECDSA");
    ecdsa.initVerify(key);
    ecdsa.update(pae.toByteArray());
    assertTrue(ecdsa.verify(Base64.getDecoder().decode(envelope.at("/signatures/0/sig").asText())), "the verdict's DSSE signature verifies");
    return JSON.readTree(payload);
  }

  @Test
  void hostileOrTruncatedEvidenceInTheRegistryFailsClosed() throws Exception {
    RegistryAccess access = RegistryAccess.open(registry.address() + "/hostile", new RegistrySettings(true, Releases.environment(), line -> {}));
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8);
    String configDigest = access.putBlob(config);
    byte[] image = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[]}")
        .getBytes(StandardCharsets.UTF_8);
    String digest = access.putManifest(image, "application/vnd.oci.image.manifest.v1+json", "sha256:" + dev.releasegate.base.Digests.sha256Hex(image));
    String reference = registry.address() + "/hostile@" + digest;

    Cli.Result none = Cli.run(work, "verify-evidence", reference, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(1, none.exitCode(), none.toString());
    assertTrue(none.stdout().contains("no evidence for " + digest), none.stdout());

    Referrers referrers = new Referrers(access);
    Descriptor subject = referrers.describe(digest);
    Path outside = work.resolve("escape.txt");
    for (byte[] archive : List.of(tar("../" + work.relativize(outside), "escaped"), "not a tar at all".getBytes(StandardCharsets.UTF_8),
        truncated(tar("bundle.json", "{}".repeat(1000))))) {
      referrers.push(subject, EvidenceArtifact.ARTIFACT_TYPE, List.of(Referrers.Blob.of(EvidenceArtifact.LAYER_MEDIA_TYPE, archive, Map.of())), Map.of());
    }
    Cli.Result hostile = Cli.run(work, "verify-evidence", reference, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(1, hostile.exitCode(), hostile.toString());
    assertEquals(3, hostile.stdout().lines().filter(line -> line.contains("NOT VERIFIED")).count(), hostile.stdout());
    assertTrue(hostile.stdout().contains("is not a plain relative path"), hostile.stdout());
    assertFalse(Files.exists(outside), "nothing was written outside the unpacked bundle");

    LocalRegistry gone = new LocalRegistry();
    gone.start();
    String address = gone.address();
    gone.stop();
    Cli.Result unreachable = Cli.run(work, "verify-evidence", address + "/x@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(3, unreachable.exitCode(), unreachable.toString());
  }

  private static byte[] tar(String name, String content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(data.length);
      tar.putArchiveEntry(entry);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] truncated(byte[] archive) {
    return java.util.Arrays.copyOf(archive, 700);
  }

  private static final String PREBUILT = """
      apiVersion: releasegate/v1
      stages:
        - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}
      """;

  @Test
  void aRegistryThatFailsWhileTheVerdictIsAttachedExitsThreeAndResumeFinishesWithoutRunningAGate() throws Exception {
    // Signed in the legacy format, so that the referrers tag is first written after the verdict, by the evidence.
    Path project = project("flaky", PREBUILT + "  - {name: sign, uses: sign, with: {format: legacy}}\n  - {name: push, uses: push}\n");
    try (FlakyProxy proxy = new FlakyProxy(registry.address(), line -> line.matches("PUT /v2/flaky/manifests/sha256-[0-9a-f]{64}"), 1000, 503)) {
      String repository = proxy.address() + "/flaky";
      Path evidence = work.resolve("evidence");
      Cli.Result failed = Cli.run(environment(), work, release(project, repository, evidence));
      assertEquals(3, failed.exitCode(), failed.toString());
      JsonNode run = json(failed);
      assertEquals("released", run.get("status").asText(), "the gates passed and the verdict says so");
      assertTrue(run.at("/attachments/verdict").asBoolean(), "the verdict was attached before the evidence failed");
      assertTrue(run.at("/attachments/error").asText().contains("HTTP 503"), failed.stdout());
      assertTrue(failed.stderr().contains("the tags 1.0.0, ") && failed.stderr().contains("finish with: releasegate release --resume --evidence " + evidence),
          failed.stderr());
      String digest = run.get("digest").asText();
      assertEquals(Optional.of(digest), registry.manifestDigest("flaky", "1.0.0"));

      proxy.heal();
      Cli.Result resumed = Cli.run(environment(), work, release(project, repository, evidence, "--resume"));
      assertEquals(0, resumed.exitCode(), resumed.toString());
      assertTrue(resumed.stderr().contains("nothing to run, only its attachments to the image are checked"), resumed.stderr());
      assertFalse(resumed.stderr().contains("[1/3] build"), "no stage ran again: " + resumed.stderr());
      Cli.Result remote = Cli.run(work, "verify-evidence", repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
      assertEquals(0, remote.exitCode(), remote.toString());

      byte[] index = registry.manifest("flaky", digest.replace(':', '-')).orElseThrow();
      Cli.Result again = Cli.run(environment(), work, release(project, repository, evidence, "--resume"));
      assertEquals(0, again.exitCode(), again.toString());
      assertArrayEquals(index, registry.manifest("flaky", digest.replace(':', '-')).orElseThrow(), "attaching again changes nothing");
    }
  }

  @Test
  void gatesThatCannotDecideExitThreeAndPublishNothing() throws Exception {
    // A PATH with a shell and test(1) only: no trivy, no podman.
    Path bin = Files.createDirectories(work.resolve("bin"));
    for (String tool : List.of("sh", "test")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of(new ProcessBuilder("sh", "-c", "command -v " + tool).start().inputReader().readLine()));
    }
    Map<String, String> environment = environment();
    environment.put("PATH", bin.toString());
    Path project = project("blind", PREBUILT
        + "  - {name: scan, uses: trivy}\n  - {name: smoke, uses: smoke}\n  - {name: sign, uses: sign}\n  - {name: push, uses: push}\n");
    Cli.Result result = Cli.run(environment, work, release(project, registry.address() + "/blind", work.resolve("evidence")));

    assertEquals(3, result.exitCode(), result.toString());
    JsonNode run = json(result);
    assertEquals("failed", run.get("status").asText());
    assertEquals(List.of(), registry.tags("blind"), "nothing published");
  }

  @Test
  void sigtermWhileFourGatesRunLeavesNoProcessNoContainerAndNothingPublished() throws Exception {
    Path project = project("stopped", PREBUILT + """
          - {name: sbom, uses: cyclonedx}
          - {name: lint, uses: readiness}
          - {name: smoke, uses: smoke, with: {readyPath: /never, readyTimeoutSeconds: 600}}
          - {name: wait, uses: exec, with: {command: [sleep, "600"], exclusive: false}, needs: [build]}
          - {name: sign, uses: sign}
          - {name: push, uses: push}
        """);
    Path evidence = work.resolve("evidence");
    Process process = Cli.start(environment(), work.resolve("out.log"), release(project, registry.address() + "/stopped", evidence));
    List<ProcessHandle> sleeps = Cli.awaitChild(process, "sleep");
    assertFalse(sleeps.isEmpty(), "the exec gate's sleep started: " + Files.readString(work.resolve("out.log")));
    String prefix = registry.address() + "/stopped";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (Podman.psAll().stream().noneMatch(container -> container.image().startsWith(prefix) && container.state().equals("running"))
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertTrue(Podman.psAll().stream().anyMatch(container -> container.image().startsWith(prefix)), "the smoke container runs");

    process.destroy();
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "releasegate stops");
    String log = Files.readString(work.resolve("out.log"));
    assertEquals(143, process.exitValue(), log);
    sleeps.forEach(sleep -> assertFalse(sleep.isAlive(), "the sleep was stopped"));
    assertEquals(List.of(), Podman.psAll().stream().filter(container -> container.image().startsWith(prefix)).toList(), "the container is gone");
    assertEquals(List.of(), registry.tags("stopped"), "nothing published");
    JsonNode index = JSON.readTree(Files.readAllBytes(evidence.resolve("bundle.json")));
    assertEquals("failed", index.get("status").asText());
    assertTrue(index.get("reason").asText().contains("interrupted"), index.toString());
    for (String publisher : List.of("sign", "push")) {
      assertTrue(index.toString().contains("\"name\":\"" + publisher + "\",\"type\":\"" + publisher + "\",\"kind\":\"publisher\",\"status\":\"skipped\""),
          publisher + " did not run: " + index);
    }
  }

  @Test
  void aPipelineThatPublishesBeforeAGateIsRefusedBeforeAnythingRuns() throws Exception {
    Path project = project("misordered", PREBUILT + "  - {name: push, uses: push}\n  - {name: scan, uses: trivy}\n");
    Cli.Result result = Cli.run(environment(), work, release(project, registry.address() + "/misordered", work.resolve("evidence")));
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("releasegate.yaml:5:24: stage 'scan' (trivy) is a gate, but comes after publisher 'push'"), result.stderr());
    assertEquals(List.of(), registry.catalog().stream().filter(name -> name.equals("misordered")).toList(), "nothing was built");
  }

  private HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + registry.address() + path)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
