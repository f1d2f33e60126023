package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.spi.Stage;
import dev.releasegate.testing.FakeStageContext;
import dev.releasegate.testing.FlakyProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness stage constructed directly, against a fake context: a waivers file it cannot use fails
 * before the registry is asked, and a registry that refuses fails the stage. The lint on real images is
 * ReadinessIT's.
 */
class ReadinessStageTest {
  private static final String DIGEST = "sha256:" + "5e".repeat(32);

  @TempDir Path work;

  private FakeStageContext context(String repository) {
    return FakeStageContext.in(work, "readiness").image(new ImageReference(repository, DIGEST), true);
  }

  private Stage readiness(String with) {
    return FakeStageContext.stage(work.resolve("pipeline"), "{name: build, uses: fake-image}", "{name: readiness, uses: readiness, with: " + with + "}");
  }

  @Test
  void aMissingWaiversFileIsInvalidInputAndTheRegistryIsNotAsked() throws Exception {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> readiness("{waivers: .releasegate/readiness.yaml}").run(context(registry.address() + "/hello")));

      assertEquals("waivers file .releasegate/readiness.yaml not found in the project", e.getMessage());
      assertEquals(List.of(), registry.seen());
    }
  }

  @Test
  void aWaiverOfNoReadinessCheckIsInvalidInputAndTheRegistryIsNotAsked() throws Exception {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      FakeStageContext context = context(registry.address() + "/hello");
      Path waivers = Files.createDirectories(context.projectDirectory().resolve(".releasegate")).resolve("readiness.yaml");
      Files.writeString(waivers,
          "waivers:\n  - {id: RG-IMG-001, reason: batch job, expires: 2030-12-31}\n  - {id: CVE-2019-18224, reason: wrong file, expires: 2030-12-31}\n");
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> readiness("{waivers: .releasegate/readiness.yaml}").run(context));

      assertEquals(".releasegate/readiness.yaml:3: waiver CVE-2019-18224: no readiness check has this id (they are RG-IMG-001 to RG-IMG-012)",
          e.getMessage());
      assertEquals(List.of(), registry.seen());
    }
  }

  @Test
  void aRegistryThatRefusesFailsAsEnvironment() throws Exception {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      EnvironmentException e = assertThrows(EnvironmentException.class, () -> readiness("{}").run(context(registry.address() + "/hello")));

      assertEquals(registry.refusal("read manifest " + registry.address() + "/hello@" + DIGEST), e.getMessage());
    }
  }
}
