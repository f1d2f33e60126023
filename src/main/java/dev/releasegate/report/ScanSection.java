package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.report.ReleaseReport.Block;
import dev.releasegate.report.ReleaseReport.Fact;
import dev.releasegate.report.ReleaseReport.Row;
import dev.releasegate.report.ReleaseReport.Table;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The scan's section: scanner and policy, counts by severity at each step, blocking findings, waivers. */
final class ScanSection {
  private static final List<String> STEPS = List.of("found", "ignoredUnfixed", "beforeWaivers", "waived", "afterWaivers");

  private ScanSection() {}

  static void add(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    JsonNode scanner = predicate.path("scanner");
    JsonNode result = scanner.path("result");
    JsonNode policy = result.path("policy");
    facts.add(new Fact("Scanner", "trivy " + scanner.path("version").asText() + ", DB " + scanner.path("db").path("version").asText()
        + BundleView.text(scanner.path("db"), "updatedAt").map(time -> " updated " + time).orElse("")));
    facts.add(new Fact("Scanned", result.path("mode").asText() + " " + result.path("target").asText()));
    facts.add(new Fact("Policy", "failOn " + String.join(", ", BundleView.texts(policy.path("failOn")))
        + (policy.path("ignoreUnfixed").asBoolean() ? ", unfixed ignored" : "")));
    facts.add(new Fact("Gate", result.path("gate").path("decision").asText() + ": " + result.path("gate").path("reason").asText()));

    JsonNode summary = result.path("summary");
    List<Row> counts = new ArrayList<>();
    for (Iterator<String> severities = summary.path("found").fieldNames(); severities.hasNext(); ) {
      String severity = severities.next();
      List<String> cells = new ArrayList<>();
      cells.add(severity);
      STEPS.forEach(step -> cells.add(summary.path(step).path(severity).asText("0")));
      boolean blocking = BundleView.texts(policy.path("failOn")).contains(severity) && summary.path("afterWaivers").path(severity).asLong() > 0;
      counts.add(new Row(cells, blocking ? java.util.Optional.of(Check.Status.FAILED) : java.util.Optional.empty()));
    }
    blocks.add(new Table("Vulnerabilities by severity",
        List.of("Severity", "Found", "Unfixed, ignored", "Before waivers", "Waived", "After waivers"), counts, false));

    List<Row> findings = new ArrayList<>();
    for (JsonNode finding : result.path("blockingFindings")) {
      findings.add(Row.of(Check.Status.FAILED, finding.path("id").asText(), finding.path("severity").asText(),
          finding.path("package").asText(), finding.path("installedVersion").asText(), finding.path("fixedVersion").asText("no fix"),
          finding.path("pkgPath").asText(finding.path("target").asText())));
    }
    if (!findings.isEmpty()) {
      blocks.add(new Table("Blocking findings", List.of("ID", "Severity", "Package", "Installed", "Fixed in", "Where"), findings, false));
    }
    StageSections.waivers(result.path("waivers"), blocks);
  }
}
