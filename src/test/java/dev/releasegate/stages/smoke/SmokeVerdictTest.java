package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.base.Json;
import dev.releasegate.spi.StageResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage's summary from its checks. */
class SmokeVerdictTest {
  private static SmokeCheck check(String name, boolean passed, String measured) {
    return SmokeCheck.of(name, passed, "expected " + name, measured, Json.object());
  }

  @Test
  void allPassedNamesTheFirstAndLastMeasurement() {
    StageResult result = SmokeVerdict.of(List.of(check("readiness", true, "ready after 0.40 s"), check("nonRoot", true, "uid 65532"),
        check("gracefulStop", true, "exit 143 after 0.12 s")), List.of("w"), Json.object().put("k", 1));
    assertEquals(StageResult.Outcome.PASSED, result.outcome());
    assertEquals("all 3 checks passed (ready after 0.40 s, exit 143 after 0.12 s)", result.summary());
    assertEquals(List.of("w"), result.warnings());
    assertEquals("{\"k\":1}", result.predicate().toString());
  }

  @Test
  void failuresAreNamedWithWhatWasMeasuredAndNotRunChecksCounted() {
    StageResult result = SmokeVerdict.of(List.of(check("readiness", false, "not ready within 30 s: no answer"),
        SmokeCheck.notRun("version", "revision abc from /version", "the container never became ready"),
        check("nonRoot", false, "uid 0")), List.of(), Json.object());
    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("2 of 3 checks failed, 1 not run: readiness (not ready within 30 s: no answer), nonRoot (uid 0)", result.summary());
    assertEquals(List.of("readiness: expected expected readiness, measured not ready within 30 s: no answer",
        "nonRoot: expected expected nonRoot, measured uid 0"), result.details());
  }
}
