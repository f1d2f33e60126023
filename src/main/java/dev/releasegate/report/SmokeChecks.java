package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.report.BundleView.StageView;
import java.util.ArrayList;
import java.util.List;

/** The smoke test: one check per smoke check (readiness, startup, probes, version, nonRoot, gracefulStop). */
final class SmokeChecks {
  private SmokeChecks() {}

  static List<Check> of(StageView stage, JsonNode predicate) {
    List<Check> checks = new ArrayList<>();
    for (JsonNode check : predicate.path("checks")) {
      String name = check.path("name").asText();
      String message = "expected " + check.path("expected").asText() + "; measured " + check.path("measured").asText();
      checks.add(switch (check.path("result").asText()) {
        case "passed" -> Check.passed(name, message);
        case "not run" -> Check.skipped(name, message);
        default -> Check.failed(name, message, fix(stage, name));
      });
    }
    return checks;
  }

  /** The statement records no fix, so it follows from which check failed. */
  static String fix(StageView stage, String check) {
    String logs = "; the container's logs are artifacts/" + stage.name() + "/stdout.log and stderr.log";
    if (check.startsWith("probe ")) {
      return "make " + check.substring("probe ".length()) + " answer as expected in the container" + logs;
    }
    return switch (check) {
      case "readiness" -> "make the ready path answer 2xx once the service is ready, within readyTimeoutSeconds" + logs;
      case "startup" -> "start faster, or raise maxStartupSeconds" + logs;
      case "version" -> "serve the version path with {\"revision\": the release's git commit} (the image sets RELEASE_REVISION)";
      case "nonRoot" -> "run as a non-root user, e.g. 65532 (jib stage option user)";
      case "gracefulStop" -> "on SIGTERM, stop taking work and exit 0 (or 143) within stopTimeoutSeconds";
      default -> stage.reason().orElse("see the smoke stage's statement") + logs;
    };
  }
}
