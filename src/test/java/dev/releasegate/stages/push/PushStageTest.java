package dev.releasegate.stages.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.testing.FakeStageContext;
import dev.releasegate.testing.FlakyProxy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The push stage constructed directly, against a fake context: what it refuses before it writes a tag, and a registry that refuses it. */
class PushStageTest {
  private static final String DIGEST = "sha256:" + "5e".repeat(32);

  @TempDir Path work;

  @Test
  void aTagTemplateWithAnUnknownPlaceholderOrNoTagsAreRefusedBeforeAnythingRuns() {
    PipelineException unknown = assertThrows(PipelineException.class,
        () -> FakeStageContext.stage(work, "{name: build, uses: fake-image}", "{name: push, uses: push, with: {tags: [\"{version}\", \"{branch}\"]}}"));
    assertEquals(1, unknown.problems().size(), unknown.problems().toString());
    assertTrue(unknown.problems().get(0).endsWith("unknown placeholder {branch} in tag '{branch}' (known: {version}, {gitSha}, {gitShortSha})"),
        unknown.problems().toString());

    PipelineException none = assertThrows(PipelineException.class,
        () -> FakeStageContext.stage(work, "{name: build, uses: fake-image}", "{name: push, uses: push, with: {tags: []}}"));
    assertTrue(none.problems().get(0).endsWith("tags must not be empty"), none.problems().toString());
  }

  @Test
  void itNeedsAnEarlierStageThatBuildsTheImage() {
    PipelineException e = assertThrows(PipelineException.class, () -> FakeStageContext.stage(work, "{name: push, uses: push}"));
    assertTrue(e.problems().stream().anyMatch(problem -> problem.contains("needs output 'image', which no earlier stage produces")),
        e.problems().toString());
  }

  @Test
  void aRegistryThatRefusesFailsAsEnvironmentAndNoTagIsWritten() throws Exception {
    try (FlakyProxy registry = FlakyProxy.refusing(403)) {
      FakeStageContext context = FakeStageContext.in(work, "push").image(new ImageReference(registry.address() + "/hello", DIGEST), true);

      EnvironmentException e = assertThrows(EnvironmentException.class,
          () -> FakeStageContext.stage(work, "{name: build, uses: fake-image}", "{name: push, uses: push}").run(context));

      assertEquals(registry.refusal("read manifest " + registry.address() + "/hello:1.0.0"), e.getMessage());
      assertEquals(List.of(), context.writes());
      assertTrue(registry.seen().stream().noneMatch(request -> request.startsWith("PUT ")), registry.seen().toString());
    }
  }
}
