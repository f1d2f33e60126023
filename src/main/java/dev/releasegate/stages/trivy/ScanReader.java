package dev.releasegate.stages.trivy;

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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The vulnerability predicate read back: scanner and policy, counts by severity at each step, blocking
 * findings and waivers; one check per blocking finding and per waiver, then the scan gate.
 */
final class ScanReader implements PredicateReader {
  private static final List<String> STEPS = List.of("found", "ignoredUnfixed", "beforeWaivers", "waived", "afterWaivers");

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    JsonNode scanner = predicate.path("scanner");
    JsonNode result = scanner.path("result");
    JsonNode policy = result.path("policy");
    facts.add(new Fact("Scanner", "trivy " + scanner.path("version").asText() + ", DB " + scanner.path("db").path("version").asText()
        + Json.text(scanner.path("db"), "updatedAt").map(time -> " updated " + time).orElse("")));
    facts.add(new Fact("Scanned", result.path("mode").asText() + " " + result.path("target").asText()));
    facts.add(new Fact("Policy", "failOn " + String.join(", ", Json.texts(policy.path("failOn")))
        + (policy.path("ignoreUnfixed").asBoolean() ? ", unfixed ignored" : "")));
    facts.add(new Fact("Gate", result.path("gate").path("decision").asText() + ": " + result.path("gate").path("reason").asText()));

    JsonNode summary = result.path("summary");
    List<Row> counts = new ArrayList<>();
    for (Iterator<String> severities = summary.path("found").fieldNames(); severities.hasNext(); ) {
      String severity = severities.next();
      List<String> cells = new ArrayList<>();
      cells.add(severity);
      STEPS.forEach(step -> cells.add(summary.path(step).path(severity).asText("0")));
      boolean blocking = Json.texts(policy.path("failOn")).contains(severity) && summary.path("afterWaivers").path(severity).asLong() > 0;
      counts.add(new Row(cells, blocking ? Optional.of(StageCheck.Status.FAILED) : Optional.empty()));
    }
    blocks.add(new Table("Vulnerabilities by severity",
        List.of("Severity", "Found", "Unfixed, ignored", "Before waivers", "Waived", "After waivers"), counts, false));

    List<Row> findings = new ArrayList<>();
    for (JsonNode finding : result.path("blockingFindings")) {
      findings.add(Row.of(StageCheck.Status.FAILED, finding.path("id").asText(), finding.path("severity").asText(),
          finding.path("package").asText(), finding.path("installedVersion").asText(), finding.path("fixedVersion").asText("no fix"),
          finding.path("pkgPath").asText(finding.path("target").asText())));
    }
    if (!findings.isEmpty()) {
      blocks.add(new Table("Blocking findings", List.of("ID", "Severity", "Package", "Installed", "Fixed in", "Where"), findings, false));
    }
    WaiverTable.of(result.path("waivers")).ifPresent(blocks::add);
    return new StageDetails(facts, blocks);
  }

  @Override
  public List<StageCheck> checks(Outcome stage, JsonNode predicate) {
    JsonNode result = predicate.path("scanner").path("result");
    List<StageCheck> checks = new ArrayList<>();
    JsonNode blocking = result.path("blockingFindings");
    for (JsonNode finding : blocking) {
      checks.add(finding(finding));
    }
    long blockingCount = result.path("gate").path("blockingCount").asLong(blocking.size());
    if (blockingCount > blocking.size()) {
      checks.add(StageCheck.failed("more blocking findings", (blockingCount - blocking.size()) + " more blocking findings are not in the statement",
          "see artifacts/" + stage.name() + "/trivy.json for all of them"));
    }
    for (JsonNode waiver : result.path("waivers").path("applied")) {
      checks.add(StageCheck.warned("waiver " + label(waiver), "accepted until " + waiver.path("expires").asText() + ": "
          + waiver.path("reason").asText() + " (" + waiver.path("matchedFindings").asLong() + " finding(s))", Optional.empty()));
    }
    for (JsonNode waiver : result.path("waivers").path("expired")) {
      checks.add(StageCheck.warned("waiver " + label(waiver) + " expired", "expired on " + waiver.path("expires").asText()
              + "; it no longer applies",
          Optional.of("fix the finding, or renew the waiver with a new expiry date and reason")));
    }
    checks.add(gate(result));
    return checks;
  }

  private static StageCheck finding(JsonNode finding) {
    String pkg = finding.path("package").asText();
    String installed = finding.path("installedVersion").asText();
    String where = finding.path("pkgPath").asText(finding.path("target").asText());
    String name = finding.path("id").asText() + " " + pkg + " " + installed;
    String message = finding.path("severity").asText() + " " + finding.path("id").asText() + " in " + pkg + " " + installed
        + " (" + where + ")";
    Optional<String> fixed = Json.text(finding, "fixedVersion").filter(version -> !version.isBlank());
    String fix = fixed
        .map(version -> "upgrade " + pkg + " to " + version + " or later (for an OS package, rebuild on a patched base image)")
        .orElse("no fixed version yet: remove " + pkg + ", or waive it in the waivers file with a reason and an expiry date");
    return StageCheck.failed(name, message, fix);
  }

  private static StageCheck gate(JsonNode result) {
    String reason = result.path("gate").path("reason").asText("no gate decision recorded");
    if (result.path("gate").path("decision").asText().equals("passed")) {
      return StageCheck.passed("scan gate", reason);
    }
    String failOn = String.join(", ", Json.texts(result.path("policy").path("failOn")));
    return StageCheck.failed("scan gate", reason,
        "upgrade or remove the blocking packages above, or waive accepted ones with a reason and expiry (failOn " + failOn + ")");
  }

  private static String label(JsonNode waiver) {
    return waiver.path("id").asText() + Json.text(waiver, "package").map(pkg -> " (" + pkg + ")").orElse("");
  }
}
