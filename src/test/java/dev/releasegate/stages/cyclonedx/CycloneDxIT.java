package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.Digests;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cyclonedx stage against a real registry: the real hello-service image built by the jib stage
 * on the distroless-style base, checked against ground truth gathered without the stage's code (Maven's
 * own dependency list, the base image's status.d files read with commons-compress), and faults.
 */
class CycloneDxIT {
  private static final Pattern CONTROL_FIELD = Pattern.compile("(?m)^(Package|Version|Architecture): (\\S+)$");

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

  @Test
  void helloServiceSbomListsEveryRuntimeArtifactAndBasePackageAndIsReproducible() throws Exception {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Path pipeline = pipeline("  - {name: build, uses: jib}\n  - {name: sbom, uses: cyclonedx}\n");
    ReleaseResult first = release(project, pipeline, "e1");
    assertEquals(ReleaseStatus.RELEASED, first.status(), first.stages().toString());
    String digest = first.digest().orElseThrow();
    byte[] bytes = Files.readAllBytes(work.resolve("e1/artifacts/sbom/bom.cdx.json"));
    JsonNode bom = Json.parse(bytes);

    // A valid CycloneDX 1.6 document about this digest, attested as the statement's predicate.
    assertEquals(List.of(), new JsonParser().validate(bytes, Version.VERSION_16));
    assertEquals("1.6", bom.get("specVersion").asText());
    assertEquals(digest, bom.at("/metadata/component/version").asText());
    assertTrue(bom.at("/metadata/component/purl").asText().startsWith("pkg:oci/hello@sha256%3A" + digest.substring(7) + "?"));
    assertEquals(TestRepos.COMMIT_TIME.toString(), bom.at("/metadata/timestamp").asText());
    JsonNode statement = statement(work.resolve("e1"), "statements/02-sbom.dsse.json");
    assertEquals("https://cyclonedx.org/bom", statement.get("predicateType").asText());
    assertEquals(digest.substring(7), statement.at("/subject/0/digest/sha256").asText());
    assertEquals(bom, statement.get("predicate"), "the predicate is the BOM itself");

    List<JsonNode> components = new ArrayList<>();
    collect(bom.get("components"), components);
    Set<String> purls = new HashSet<>();
    Set<String> refs = new HashSet<>();
    for (JsonNode component : components) {
      assertTrue(refs.add(component.get("bom-ref").asText()), "duplicate bom-ref " + component.get("bom-ref"));
      if (component.has("purl")) {
        assertTrue(purls.add(component.get("purl").asText()), "duplicate purl " + component.get("purl"));
      }
    }

    // Every runtime artifact Maven resolves for the service, with its exact version.
    Set<String> maven = mavenRuntimePurls(project);
    assertFalse(maven.isEmpty(), "dependency:list found the service's dependencies");
    for (String purl : maven) {
      assertTrue(purls.contains(purl), purl + " is missing from the SBOM; it has " + purls);
    }

    // Every package of the base image, read from its layers here with commons-compress.
    Map<String, String> packages = basePackages();
    assertTrue(packages.containsKey("libc6") && packages.size() >= 9, "the base has its Debian packages: " + packages);
    Map<String, String> debs = new TreeMap<>();
    for (JsonNode component : components) {
      if (component.path("purl").asText().startsWith("pkg:deb/debian/")) {
        debs.put(component.get("name").asText(), component.get("version").asText());
        assertTrue(component.get("purl").asText().contains("distro=debian-12"), component.get("purl").asText());
      }
    }
    assertEquals(packages, debs, "exactly the base image's packages, each with its exact version");
    JsonNode libc = components.stream().filter(c -> c.path("name").asText().equals("libc6")).findFirst().orElseThrow();
    assertTrue(libc.toString().contains("\"aquasecurity:trivy:SrcName\",\"value\":\"glibc\""), libc.toString());

    // The runtime and the application.
    JsonNode runtime = components.stream().filter(c -> c.get("type").asText().equals("platform")).findFirst().orElseThrow();
    assertEquals(javaVersionOfBase(), runtime.get("version").asText());
    JsonNode app = components.stream().filter(c -> c.get("type").asText().equals("application")).findFirst().orElseThrow();
    assertEquals("hello", app.get("name").asText());
    assertEquals("1.0.0", app.get("version").asText());
    assertTrue(app.toString().contains("dev.releasegate.examples.hello.HelloService"), app.toString());

    System.out.println("[figure] cyclonedx SBOM of hello-service: " + sbomStage(first).durationMs() + " ms (first run); components by type "
        + countByType(components) + ", " + bytes.length + " bytes");

    // Another run of the same commit gives the same image, and the same SBOM byte for byte.
    ReleaseResult second = release(project, pipeline, "e2");
    assertEquals(ReleaseStatus.RELEASED, second.status(), second.stages().toString());
    assertEquals(digest, second.digest().orElseThrow());
    assertArrayEquals(bytes, Files.readAllBytes(work.resolve("e2/artifacts/sbom/bom.cdx.json")));
    System.out.println("[figure] cyclonedx SBOM of hello-service: " + sbomStage(second).durationMs() + " ms (second run)");
  }

  @Test
  void layerThatIsNotATarGzFailsNamingTheLayerDigest() throws Exception {
    byte[] noise = new byte[4096];
    new Random(11).nextBytes(noise);
    byte[] notGzip = noise.clone();
    notGzip[0] = 'x';
    byte[] brokenGzip = noise.clone();
    brokenGzip[0] = 0x1f;
    brokenGzip[1] = (byte) 0x8b; // gzip magic, then garbage
    for (byte[] layer : List.of(notGzip, brokenGzip)) {
      String layerDigest = "sha256:" + Digests.sha256Hex(layer);
      String digest = pushImage("broken", layer);
      String image = registry.address() + "/broken@" + digest;
      Path project = TestRepos.create(work.resolve("p-" + layerDigest.substring(7, 15)), Map.of("releasegate.yaml",
          "apiVersion: releasegate/v1\nimage:\n  repository: " + registry.address() + "/broken\nstages:\n"
              + "  - {name: build, uses: fake-image, with: {digest: \"" + digest + "\"}}\n  - {name: sbom, uses: cyclonedx}\n"));
      ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("e-" + layerDigest.substring(7, 15)))
          .insecureRegistry(true).build()).result();

      assertEquals(ReleaseStatus.FAILED, result.status());
      StageEntry sbom = sbomStage(result);
      assertEquals(FailureKind.ENVIRONMENT, sbom.failure().orElseThrow());
      String reason = sbom.reason().orElseThrow();
      assertTrue(reason.startsWith("layer " + layerDigest + " of " + image + " is not a valid tar.gz: "), reason);
    }
  }

  /** Pushes a one-layer OCI image whose layer is {@code layer} and whose config names its sha256 as diff_id. */
  private String pushImage(String repository, byte[] layer) throws InterruptedException {
    RegistryAccess access = RegistryAccess.open(registry.address() + "/" + repository, new RegistrySettings(true, Map.of(), line -> {}));
    String layerDigest = access.putBlob(layer);
    ObjectNode config = Json.object().put("architecture", "amd64").put("os", "linux");
    config.putObject("config");
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layerDigest);
    byte[] configBytes = Json.compact(config);
    String configDigest = access.putBlob(configBytes);
    ObjectNode manifest = Json.object().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json").put("digest", configDigest)
        .put("size", configBytes.length);
    manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip").put("digest", layerDigest)
        .put("size", layer.length);
    byte[] manifestBytes = Json.compact(manifest);
    return access.putManifest(manifestBytes, "application/vnd.oci.image.manifest.v1+json", "t-" + layerDigest.substring(7, 19));
  }

  // ---- ground truth, gathered without the stage's code ----

  /** {@code mvn dependency:list -DincludeScope=runtime} in the project, as purls. */
  private Set<String> mavenRuntimePurls(Path project) throws IOException, InterruptedException {
    Path list = work.resolve("dependency-list.txt");
    Process process = new ProcessBuilder("mvn", "-B", "-q", "-o", "dependency:list", "-DincludeScope=runtime", "-DoutputFile=" + list)
        .directory(project.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("mvn.log").toFile()).start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "mvn dependency:list did not finish");
    assertEquals(0, process.exitValue(), Files.readString(work.resolve("mvn.log")));
    Set<String> purls = new TreeSet<>();
    for (String line : Files.readAllLines(list)) {
      String[] parts = line.strip().split("\\s+")[0].split(":");
      if (parts.length == 5 || parts.length == 6) { // group:artifact:type[:classifier]:version:scope
        purls.add("pkg:maven/" + parts[0] + "/" + parts[1] + "@" + parts[parts.length - 2]);
      }
    }
    return purls;
  }

  /** name → version of every record in the base image's /var/lib/dpkg/status.d (md5sums files aside). */
  private static Map<String, String> basePackages() throws IOException {
    Map<String, String> packages = new TreeMap<>();
    forEachBaseFile((name, content) -> {
      if (name.matches("\\.?/?var/lib/dpkg/status\\.d/[^/]+") && !name.endsWith(".md5sums")) {
        Map<String, String> fields = new TreeMap<>();
        Matcher matcher = CONTROL_FIELD.matcher(new String(content, StandardCharsets.UTF_8));
        while (matcher.find()) {
          fields.put(matcher.group(1), matcher.group(2));
        }
        packages.put(fields.get("Package"), fields.get("Version"));
      }
    });
    return packages;
  }

  private static String javaVersionOfBase() throws IOException {
    List<String> versions = new ArrayList<>();
    forEachBaseFile((name, content) -> {
      if (name.endsWith("opt/java/openjdk/release")) {
        Matcher matcher = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"").matcher(new String(content, StandardCharsets.UTF_8));
        if (matcher.find()) {
          versions.add(matcher.group(1));
        }
      }
    });
    assertEquals(1, versions.size(), "the base has one Java runtime");
    return versions.get(0);
  }

  private interface FileVisitor {
    void visit(String name, byte[] content) throws IOException;
  }

  /** Every regular file up to 1 MB in the base image's layers, read straight from its registry. */
  private static void forEachBaseFile(FileVisitor visitor) throws IOException {
    LocalRegistry baseRegistry = BaseImages.registry();
    String path = base.substring(base.indexOf('/') + 1, base.indexOf('@'));
    String digest = base.substring(base.indexOf('@') + 1);
    JsonNode manifest = Json.parse(baseRegistry.manifest(path, digest).orElseThrow());
    for (JsonNode layer : manifest.get("layers")) {
      byte[] blob = baseRegistry.blob(path, layer.get("digest").asText()).orElseThrow();
      try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(blob));
          TarArchiveInputStream tar = new TarArchiveInputStream(gunzip)) {
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
          if (entry.isFile() && entry.getSize() <= 1 << 20) {
            visitor.visit(entry.getName(), tar.readAllBytes());
          }
        }
      }
    }
  }

  // ---- helpers ----

  private ReleaseResult release(Path project, Path pipeline, String evidence) {
    return Releases.run(Releases.request(project, signer, work.resolve(evidence))
        .imageRepository(registry.address() + "/hello").baseImage(base).insecureRegistry(true).pipelineFile(pipeline)
        .version("1.0.0").build()).result();
  }

  private Path pipeline(String stages) throws IOException {
    Path file = work.resolve("pipeline.yaml");
    Files.writeString(file, "apiVersion: releasegate/v1\nstages:\n" + stages);
    return file;
  }

  private static StageEntry sbomStage(ReleaseResult result) {
    return result.stages().stream().filter(stage -> stage.name().equals("sbom")).findFirst().orElseThrow();
  }

  private static JsonNode statement(Path evidence, String path) throws IOException {
    return Json.parse(DsseEnvelope.parse(Files.readAllBytes(evidence.resolve(path))).payload());
  }

  private static Map<String, Integer> countByType(List<JsonNode> components) {
    Map<String, Integer> counts = new TreeMap<>();
    components.forEach(component -> counts.merge(component.get("type").asText(), 1, Integer::sum));
    return counts;
  }

  private static void collect(JsonNode components, List<JsonNode> into) {
    for (JsonNode component : components) {
      into.add(component);
      collect(component.path("components"), into);
    }
  }
}
