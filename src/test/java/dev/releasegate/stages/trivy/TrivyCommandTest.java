package dev.releasegate.stages.trivy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrivyCommandTest {
  private static TrivyCommand.Scan scan(String target, boolean layout) {
    return new TrivyCommand.Scan("trivy", "image", "out.json", false, Optional.empty(), false, false, false, true, "/tmp/modules", List.of(),
        target, layout);
  }

  @Test
  void anImageIsReadFromItsRegistryNeverFromALocalDaemon() {
    assertEquals(List.of("trivy", "image", "--format", "json", "--exit-code", "0", "--output", "out.json", "--module-dir", "/tmp/modules",
        "--image-src", "remote", "--skip-version-check", "--disable-telemetry", "127.0.0.1:5000/app@sha256:1"),
        scan("127.0.0.1:5000/app@sha256:1", false).argv());
  }

  @Test
  void aDryRunsImageIsReadFromItsLayoutWithInput() {
    assertEquals(List.of("trivy", "image", "--format", "json", "--exit-code", "0", "--output", "out.json", "--module-dir", "/tmp/modules",
        "--skip-version-check", "--disable-telemetry", "--input", "/work/evidence-image"),
        scan("/work/evidence-image", true).argv());
  }
}
