package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.spi.StageKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
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

  private static StageEntry failed(String name, String reason) {
    return new StageEntry(name, "jib", StageKind.GATE, StageStatus.FAILED, Optional.of(reason), Optional.of(FailureKind.INVALID_INPUT),
        Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Json.object(), List.of(), List.of(), List.of());
  }
}
