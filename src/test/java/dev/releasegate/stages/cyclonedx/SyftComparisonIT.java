package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Peers;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * releasegate's SBOM of the example's image, side by side with syft's of the same digest: every Debian
 * package and every jar with Maven coordinates that syft finds is in ours, with the same version.
 */
class SyftComparisonIT {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir Path work;

  @Test
  void everyDebianPackageAndMavenJarSyftFindsIsInOurSbomWithTheSameVersion() throws Exception {
    Path signer = TestKeys.write(work, "signer");
    Path project = TestRepos.copyBuilt(Examples.builtHelloService(work.resolve("template")), work.resolve("hello"), Map.of("releasegate.yaml",
        "apiVersion: releasegate/v1\nstages:\n  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}\n"
            + "  - {name: sbom, uses: cyclonedx}\n"));
    ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("evidence")).imageRepository(registry.address() + "/hello")
        .baseImage(BaseImages.java17()).insecureRegistry(true).version("1.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    String image = registry.address() + "/hello@" + result.digest().orElseThrow();

    Path syftJson = work.resolve("syft.json");
    ProcessBuilder syft = new ProcessBuilder(Peers.bin("syft").toString(), "scan", "registry:" + image, "-q", "-o", "syft-json=" + syftJson)
        .redirectErrorStream(true).redirectOutput(work.resolve("syft.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    syft.environment().put("SYFT_REGISTRY_INSECURE_USE_HTTP", "true");
    syft.environment().put("SYFT_CHECK_FOR_APP_UPDATE", "false");
    syft.environment().put("HOME", work.toString());
    Process process = syft.start();
    assertTrue(process.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, process.exitValue(), Files.readString(work.resolve("syft.log")));

    Map<String, String> theirs = new TreeMap<>();
    for (JsonNode artifact : Json.parse(Files.readAllBytes(syftJson)).path("artifacts")) {
      String purl = artifact.path("purl").asText("");
      if (artifact.path("type").asText().equals("deb") || purl.startsWith("pkg:maven/")) {
        theirs.put(key(purl), artifact.path("version").asText());
      }
    }
    Map<String, String> ours = new TreeMap<>();
    collect(Json.parse(Files.readAllBytes(work.resolve("evidence/artifacts/sbom/bom.cdx.json"))).path("components"), ours);

    assertFalse(theirs.isEmpty(), "syft found packages");
    Set<String> missing = new TreeSet<>();
    Set<String> versions = new TreeSet<>();
    theirs.forEach((component, version) -> {
      if (!ours.containsKey(component)) {
        missing.add(component + "@" + version);
      } else if (!ours.get(component).equals(version)) {
        versions.add(component + ": syft " + version + ", releasegate " + ours.get(component));
      }
    });
    assertEquals(Set.of(), versions, "same versions");
    // The one difference, explained: the JDK's lib/jrt-fs.jar has no pom.properties. syft makes up
    // Maven coordinates from the file name (jrt-fs:jrt-fs, which Maven Central does not have);
    // releasegate lists the jar inside the Java runtime, with its version and SHA-256, and claims none.
    assertEquals(Set.of("maven/jrt-fs/jrt-fs@" + theirs.get("maven/jrt-fs/jrt-fs")), missing,
        "everything else syft finds is in our SBOM (syft: " + theirs.keySet() + ")");
    JsonNode jrtFs = find(Json.parse(Files.readAllBytes(work.resolve("evidence/artifacts/sbom/bom.cdx.json"))).path("components"), "/lib/jrt-fs.jar");
    assertTrue(jrtFs != null, "our SBOM has the jar itself");
    assertEquals(theirs.get("maven/jrt-fs/jrt-fs"), jrtFs.path("version").asText(), jrtFs.toString());
    assertFalse(jrtFs.path("purl").asText("").startsWith("pkg:maven/"), "no Maven coordinates claimed: " + jrtFs);
  }

  /** The component, nested or not, found at a location that ends with {@code pathSuffix}. */
  private static JsonNode find(JsonNode components, String pathSuffix) {
    for (JsonNode component : components) {
      for (JsonNode occurrence : component.path("evidence").path("occurrences")) {
        if (occurrence.path("location").asText().endsWith(pathSuffix)) {
          return component;
        }
      }
      JsonNode nested = find(component.path("components"), pathSuffix);
      if (nested != null) {
        return nested;
      }
    }
    return null;
  }

  /** A package's identity across the two tools: {@code deb/NAME} or {@code maven/GROUP/ARTIFACT}. */
  private static String key(String purl) {
    String type = purl.substring("pkg:".length(), purl.indexOf('/'));
    String rest = purl.substring(purl.indexOf('/') + 1);
    rest = rest.contains("@") ? rest.substring(0, rest.indexOf('@')) : rest;
    if (type.equals("deb")) {
      rest = rest.substring(rest.indexOf('/') + 1);
    }
    return type + "/" + rest;
  }

  private static void collect(JsonNode components, Map<String, String> into) {
    for (JsonNode component : components) {
      String purl = component.path("purl").asText("");
      if (purl.startsWith("pkg:deb/") || purl.startsWith("pkg:maven/")) {
        into.put(key(purl), component.path("version").asText());
      }
      collect(component.path("components"), into);
    }
  }
}
