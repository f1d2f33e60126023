package dev.releasegate.stages.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.Stage;
import dev.releasegate.testing.FakeStageContext;
import dev.releasegate.testing.FlakyProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign stage constructed directly, against a fake context: the formats it refuses, and a registry that refuses it. */
class SignStageTest {
  private static final String DIGEST = "sha256:" + "5e".repeat(32);

  @TempDir Path work;

  private FakeStageContext context(String repository) {
    return FakeStageContext.in(work, "sign").image(new ImageReference(repository, DIGEST), true);
  }

  private Stage sign(String with) {
    return FakeStageContext.stage(work, "{name: build, uses: fake-image}", "{name: sign, uses: sign, with: " + with + "}");
  }

  @Test
  void anUnknownFormatIsRefusedBeforeAnythingRuns() {
    PipelineException e = assertThrows(PipelineException.class, () -> sign("{format: cosign}"));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).endsWith("format must be one of legacy, bundle, both, got 'cosign'"), e.problems().toString());
  }

  @Test
  void keylessStatementsCannotBeWrittenAsBundlesOnlyAndNothingIsWritten() throws Exception {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      FakeStageContext context = context(registry.address() + "/hello")
          .statement(new SignedStatement("scan", "https://cosign.sigstore.dev/attestation/vuln/v1", "{}".getBytes(StandardCharsets.UTF_8), true,
              Optional.of("{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\"}")));

      InvalidInputException e = assertThrows(InvalidInputException.class, () -> sign("{format: bundle}").run(context));

      assertEquals("format: bundle needs key signing so far; sign keylessly with format: legacy or both", e.getMessage());
      assertEquals(List.of(), registry.seen(), "the registry is not asked");
    }
  }

  @Test
  void aRegistryThatRefusesFailsAsEnvironmentAndNothingIsWritten() throws Exception {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      FakeStageContext context = context(registry.address() + "/hello");

      EnvironmentException e = assertThrows(EnvironmentException.class, () -> sign("{}").run(context));

      assertEquals(registry.refusal("read manifest " + registry.address() + "/hello:" + DIGEST.replace(':', '-') + ".sig"), e.getMessage());
      assertEquals(List.of(), context.writes());
    }
  }
}
