package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The smoke predicate read back: runtime, hardening and a table of checks; one check per smoke check
 * (readiness, startup, probes, version, nonRoot, gracefulStop).
 */
final class SmokeReader implements PredicateReader {

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    JsonNode runtime = predicate.path("runtime");
    facts.add(new Fact("Image", predicate.path("image").asText()));
    facts.add(new Fact("Runtime", runtime.path("name").asText() + " " + runtime.path("version").asText()));
    JsonNode hardening = predicate.path("hardening");
    facts.add(new Fact("Hardening", "readOnly " + hardening.path("readOnly").asText() + ", capDrop " + hardening.path("capDrop").asText()
        + ", noNewPrivileges " + hardening.path("noNewPrivileges").asText() + ", pidsLimit " + hardening.path("pidsLimit").asText()
        + ", memory " + hardening.path("memory").asText() + ", cpus " + hardening.path("cpus").asText()));
    List<String> overrides = Json.texts(predicate.path("overrides"));
    if (!overrides.isEmpty()) {
      facts.add(new Fact("Overrides", String.join(", ", overrides)));
    }
    List<Row> rows = new ArrayList<>();
    for (JsonNode check : predicate.path("checks")) {
      String result = check.path("result").asText();
      rows.add(Row.of(status(result), check.path("name").asText(), result, check.path("expected").asText(), check.path("measured").asText()));
    }
    return new StageDetails(facts, List.of(new Table("Smoke checks", List.of("Check", "Result", "Expected", "Measured"), rows, false)));
  }

  @Override
  public List<StageCheck> checks(Outcome stage, JsonNode predicate) {
    List<StageCheck> checks = new ArrayList<>();
    for (JsonNode check : predicate.path("checks")) {
      String name = check.path("name").asText();
      String message = "expected " + check.path("expected").asText() + "; measured " + check.path("measured").asText();
      checks.add(switch (status(check.path("result").asText())) {
        case PASSED -> StageCheck.passed(name, message);
        case SKIPPED -> StageCheck.skipped(name, message);
        default -> StageCheck.failed(name, message, fix(stage, name));
      });
    }
    return checks;
  }

  private static StageCheck.Status status(String result) {
    return switch (result) {
      case "passed" -> StageCheck.Status.PASSED;
      case "not run" -> StageCheck.Status.SKIPPED;
      default -> StageCheck.Status.FAILED;
    };
  }

  /** The statement records no fix, so it follows from which check failed. */
  private static String fix(Outcome stage, String check) {
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
