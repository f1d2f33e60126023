package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.publish.Attachments;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a released run's attachments decide the exit code: a moved tag outranks everything that went well. */
class ReleaseCommandTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static ReleaseResult released(Attachments attachments) {
    return new ReleaseResult(ReleaseStatus.RELEASED, Optional.of("registry.test/app"), Optional.of(DIGEST), List.of("1.0.0"),
        Path.of("evidence"), List.of(), List.of(), Optional.of(attachments));
  }

  @Test
  void aTagAnotherReleaseMovedExitsOneEvenWhenEverythingWasAttached() {
    assertEquals(Main.RELEASED, ReleaseCommand.exitCode(released(new Attachments(true, Optional.of(DIGEST), Optional.empty(), 5, List.of()))));
    Attachments raced = new Attachments(true, Optional.of(DIGEST), Optional.empty(), 5,
        List.of("tag registry.test/app:1.0.0 now names sha256:cd, not this release's " + DIGEST));
    assertEquals(Main.REJECTED, ReleaseCommand.exitCode(released(raced)));
    assertEquals("[\"tag registry.test/app:1.0.0 now names sha256:cd, not this release's " + DIGEST + "\"]",
        ReleaseCommand.toJson(released(raced)).at("/attachments/movedTags").toString());
    assertEquals(Main.ENVIRONMENT,
        ReleaseCommand.exitCode(released(new Attachments(true, Optional.empty(), Optional.of("registry down"), 5, List.of()))));
  }
}
