package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.publish.Attachments;
import dev.releasegate.spi.StageKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleDisplayTest {

  @Test
  void aStageThatFailedWithARemedySaysWhatToDoWithTheFlags() {
    StringWriter err = new StringWriter();
    ConsoleDisplay display = new ConsoleDisplay(new PrintWriter(err), false);
    InvalidInputException cause = new InvalidInputException("no base image", Remedy.GIVE_BASE_IMAGE);

    display.on(new ReleaseEvent.StageFinished(failed("build", cause.getMessage()), Duration.ofMillis(1200), Optional.of(cause)));
    display.on(new ReleaseEvent.StageFinished(failed("scan", "trivy is not installed"), Duration.ofMillis(300),
        Optional.of(new IllegalStateException("no remedy"))));

    assertEquals("  ✗ build invalid-input after 1.2s: no base image; set image.base in the pipeline file, or give the release one\n"
        + "      what to do: set image.base in the pipeline file, or pass --base REF\n"
        + "  ✗ scan invalid-input after 0.3s: trivy is not installed\n", err.toString());
  }

  @Test
  void aVerboseRunEndsWithWhereItsTimeWent() {
    StringWriter err = new StringWriter();
    // Uptime read at the first stage's start, at each stage's end and at the run's end.
    Iterator<Long> uptime = List.of(800L, 5300L, 6000L, 6500L).iterator();
    ConsoleDisplay display = new ConsoleDisplay(new PrintWriter(err), false, ConsoleDisplay.Verbosity.VERBOSE, uptime::next);
    StageEntry build = passed("build");
    StageEntry push = passed("push");
    display.on(new ReleaseEvent.StageStarted("build", "jib", 1, 2));
    display.on(new ReleaseEvent.StageFinished(build, Duration.ofMillis(4500), Optional.empty()));
    display.on(new ReleaseEvent.StageStarted("push", "push", 2, 2));
    display.on(new ReleaseEvent.StageFinished(push, Duration.ofMillis(700), Optional.empty()));
    display.on(new ReleaseEvent.RunFinished(new ReleaseResult(ReleaseStatus.RELEASED, Optional.of("r/hello"), Optional.of("sha256:ab"),
        List.of("1.0.0"), Path.of("/tmp/evidence"), List.of(build, push), List.of(),
        Optional.of(new Attachments(true, Optional.empty(), Optional.empty(), 300, List.of())))));

    assertEquals("time: 6.5 s since releasegate started: 0.8 s before the first stage (start-up, pipeline, work tree, signing key), "
        + "5.2 s running stages, 0.2 s writing the evidence, 0.3 s attaching", err.toString().lines().reduce((a, b) -> b).orElseThrow());
    StringWriter normal = new StringWriter();
    ConsoleDisplay plain = new ConsoleDisplay(new PrintWriter(normal), false, ConsoleDisplay.Verbosity.NORMAL, List.of(1L, 2L, 3L, 4L).iterator()::next);
    plain.on(new ReleaseEvent.StageStarted("build", "jib", 1, 1));
    plain.on(new ReleaseEvent.StageFinished(build, Duration.ofMillis(1), Optional.empty()));
    plain.on(new ReleaseEvent.RunFinished(new ReleaseResult(ReleaseStatus.RELEASED, Optional.empty(), Optional.empty(), List.of(),
        Path.of("/tmp/evidence"), List.of(build), List.of(), Optional.empty())));
    assertFalse(normal.toString().contains("time:"), "only a verbose run says it: " + normal);
  }

  private static StageEntry passed(String name) {
    return new StageEntry(name, "jib", StageKind.GATE, StageStatus.PASSED, Optional.empty(), Optional.empty(),
        Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Json.object(), List.of(), List.of(), List.of());
  }

  private static StageEntry failed(String name, String reason) {
    return new StageEntry(name, "jib", StageKind.GATE, StageStatus.FAILED, Optional.of(reason), Optional.of(FailureKind.INVALID_INPUT),
        Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Json.object(), List.of(), List.of(), List.of());
  }
}
