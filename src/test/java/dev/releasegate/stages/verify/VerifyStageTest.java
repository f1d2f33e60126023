package dev.releasegate.stages.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.testing.FakeStageContext;
import dev.releasegate.testing.FlakyProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verify stage constructed directly, against a fake context: what it needs, and a registry that refuses it. */
class VerifyStageTest {
  private static final String DIGEST = "sha256:" + "5e".repeat(32);

  @TempDir Path work;

  @Test
  void itNeedsAnEarlierStageThatBuildsTheImage() {
    PipelineException e = assertThrows(PipelineException.class, () -> FakeStageContext.stage(work, "{name: verify, uses: verify}"));
    assertTrue(e.problems().stream().anyMatch(problem -> problem.contains("needs output 'image', which no earlier stage produces")),
        e.problems().toString());
  }

  @Test
  void aRegistryThatRefusesFailsAsEnvironment() throws Exception {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      FakeStageContext context = FakeStageContext.in(work, "verify").image(new ImageReference(registry.address() + "/hello", DIGEST), true);

      EnvironmentException e = assertThrows(EnvironmentException.class,
          () -> FakeStageContext.stage(work, "{name: build, uses: fake-image}", "{name: verify, uses: verify}").run(context));

      assertEquals(registry.refusal("list the referrers of " + registry.address() + "/hello@" + DIGEST), e.getMessage());
    }
  }
}
