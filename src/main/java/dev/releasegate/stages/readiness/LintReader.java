package dev.releasegate.stages.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import dev.releasegate.waivers.WaiverTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The readiness predicate read back: the summary and a table of lint checks; one check per lint check, with its recorded fix. */
final class LintReader implements PredicateReader {
  /** Findings of one check put in its message; the statement keeps them all. */
  static final int MAX_FINDINGS = 20;

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    predicate.path("summary").fields().forEachRemaining(entry -> counts.add(entry.getValue().asLong() + " " + entry.getKey()));
    facts.add(new Fact("Summary", String.join(", ", counts)));
    facts.add(new Fact("Image", predicate.path("image").path("name").asText() + "@" + predicate.path("image").path("digest").asText()));
    List<Row> rows = new ArrayList<>();
    for (JsonNode check : predicate.path("checks")) {
      String result = check.path("result").asText();
      String fix = result.equals("pass") || result.equals("n-a") ? "" : check.path("fix").asText();
      rows.add(Row.of(check(check).status(), result, check.path("id").asText(), check.path("check").asText(),
          check.path("seed").asText(), check.path("severity").asText(), message(check), fix));
    }
    List<String> header = List.of("Result", "ID", "Check", "Seed item", "Severity", "Measured", "Fix");
    if (rows.stream().allMatch(row -> row.cells().get(6).isEmpty())) {
      // Every check passed or did not apply: no fix to show.
      header = header.subList(0, 6);
      rows = rows.stream().map(row -> new Row(row.cells().subList(0, 6), row.tone())).toList();
    }
    blocks.add(new Table("Lint checks", header, rows, false));
    WaiverTable.of(predicate.path("waivers")).ifPresent(blocks::add);
    return new StageDetails(facts, blocks);
  }

  @Override
  public List<StageCheck> checks(Outcome stage, JsonNode predicate) {
    List<StageCheck> checks = new ArrayList<>();
    for (JsonNode check : predicate.path("checks")) {
      checks.add(check(check));
    }
    return checks;
  }

  private static StageCheck check(JsonNode check) {
    String name = check.path("id").asText() + " " + check.path("check").asText();
    String message = message(check);
    Optional<String> fix = Json.text(check, "fix");
    return switch (check.path("result").asText()) {
      case "pass" -> StageCheck.passed(name, message);
      case "fail" -> StageCheck.failed(name, message, fix.orElse("see the lint stage's statement"));
      case "warn" -> StageCheck.warned(name, message, fix);
      case "n-a" -> StageCheck.skipped(name, "does not apply: " + message);
      case "waived" -> StageCheck.warned(name, message + "; waived until " + check.path("waiver").path("expires").asText() + ": "
          + check.path("waiver").path("reason").asText(), fix);
      default -> StageCheck.warned(name, "unknown result '" + check.path("result").asText() + "': " + message, fix);
    };
  }

  /** The measured value, then the findings. */
  private static String message(JsonNode check) {
    List<String> findings = Json.texts(check.path("findings"));
    StringBuilder text = new StringBuilder(check.path("measured").asText());
    findings.stream().limit(MAX_FINDINGS).forEach(finding -> text.append("\n- ").append(finding));
    if (findings.size() > MAX_FINDINGS) {
      text.append("\n- and ").append(findings.size() - MAX_FINDINGS).append(" more in the statement");
    }
    return text.toString();
  }
}
