package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.testing.FakeStageContext;
import dev.releasegate.testing.Fixtures;
import dev.releasegate.testing.FlakyProxy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.cyclonedx.Version;
import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage constructed directly, against a fake context: its options, and registries it cannot read
 * (SBOMs of real images are CycloneDxIT's); and the CycloneDX version choice against Trivy's own output.
 */
class CycloneDxStageTest {
  private static final String DIGEST = "sha256:" + "5e".repeat(32);

  @TempDir Path work;

  private FakeStageContext context(String repository) {
    return FakeStageContext.in(work, "sbom").image(new ImageReference(repository, DIGEST), true);
  }

  private Stage cyclonedx(String with) {
    return FakeStageContext.stage(work.resolve("pipeline"), "{name: build, uses: fake-image}", "{name: sbom, uses: cyclonedx, with: " + with + "}");
  }

  @Test
  void factoryDeclaresTypeEvidenceAndOutputs() {
    CycloneDxStageFactory factory = new CycloneDxStageFactory();
    assertEquals("cyclonedx", factory.type());
    assertEquals("https://cyclonedx.org/bom", factory.predicateType());
    assertEquals(Set.of(Outputs.IMAGE), factory.requires(StageOptions.EMPTY));
    assertEquals(Set.of(Outputs.SBOM), factory.produces(StageOptions.EMPTY));
  }

  @Test
  void summarySaysWhatTheSbomHolds() {
    ImageReference image = new ImageReference("127.0.0.1:5000/hello", "sha256:" + "ab".repeat(32));
    assertEquals("SBOM of 127.0.0.1:5000/hello@sha256:" + "ab".repeat(32)
            + " (CycloneDX 1.6): 9 Debian packages, 1 Java runtime, 1 application, 1 jar (+1 nested)",
        CycloneDxStage.summary(image, new SbomBuilder.Counts(9, 1, 1, 1, 1)));
    assertEquals("SBOM of 127.0.0.1:5000/hello@sha256:" + "ab".repeat(32) + " (CycloneDX 1.6): 0 Debian packages, 0 Java runtimes, "
        + "0 applications, 2 jars", CycloneDxStage.summary(image, new SbomBuilder.Counts(0, 2, 0, 0, 0)));
  }

  @Test
  void unreachableRegistryIsAnEnvironmentFailureNamingTheRegistry() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    FakeStageContext context = context("127.0.0.1:" + closed + "/hello");
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> cyclonedx("{}").run(context));

    assertTrue(e.getMessage().startsWith("cannot reach registry 127.0.0.1:" + closed + ": "), e.getMessage());
    assertTrue(Files.notExists(work.resolve("bundle/artifacts/sbom/bom.cdx.json")), "no SBOM is written when the image cannot be read");
  }

  @Test
  void aRegistryThatRefusesIsAnEnvironmentFailureThatSaysHowToLogIn() throws IOException {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      EnvironmentException e = assertThrows(EnvironmentException.class, () -> cyclonedx("{}").run(context(registry.address() + "/hello")));

      assertEquals(registry.refusal("read manifest " + registry.address() + "/hello@" + DIGEST), e.getMessage());
      assertTrue(Files.notExists(work.resolve("bundle/artifacts/sbom/bom.cdx.json")), "no SBOM is written when the image cannot be read");
    }
  }

  @Test
  void relativeAppRootIsRejectedBeforeAnythingRuns() {
    PipelineException e = assertThrows(PipelineException.class, () -> cyclonedx("{appRoot: app}"));
    assertTrue(e.problems().stream().anyMatch(problem -> problem.endsWith("appRoot must be an absolute path below /, e.g. /app")),
        e.problems().toString());
  }

  @Test
  void trivysOwnCycloneDx16OutputParsesAndValidatesWithTheLibrary() throws Exception {
    // The version choice: Trivy wrote this 1.6 document (and reads what it writes); cyclonedx-core-java
    // must read it too, or 1.6 is not a version both sides understand.
    byte[] trivy = Files.readAllBytes(Fixtures.file("cyclonedx/fluentd-image-with-vulns-cyclonedx-1.6.json"));
    assertEquals(List.of(), new JsonParser().validate(trivy, Version.VERSION_16));
    Bom bom = new JsonParser().parse(trivy);
    assertEquals("1.6", bom.getSpecVersion());
    assertEquals(4, bom.getComponents().size());
    assertEquals(3, bom.getVulnerabilities().size());
    assertEquals(Version.VERSION_16, SbomJson.VERSION, "and it is the version the stage writes");
    assertEquals("1.6", Version.values()[Version.values().length - 1].getVersionString(),
        "1.6 is the newest version cyclonedx-core-java knows; revisit when it learns 1.7");
  }
}
