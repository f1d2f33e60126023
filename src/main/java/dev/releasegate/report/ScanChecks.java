package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.report.BundleView.StageView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The vulnerability scan: one check per blocking finding and per waiver, then the scan gate. */
final class ScanChecks {
  private ScanChecks() {}

  static List<Check> of(StageView stage, JsonNode predicate) {
    JsonNode result = predicate.path("scanner").path("result");
    List<Check> checks = new ArrayList<>();
    JsonNode blocking = result.path("blockingFindings");
    for (JsonNode finding : blocking) {
      checks.add(finding(finding));
    }
    long blockingCount = result.path("gate").path("blockingCount").asLong(blocking.size());
    if (blockingCount > blocking.size()) {
      checks.add(Check.failed("more blocking findings", (blockingCount - blocking.size()) + " more blocking findings are not in the statement",
          "see artifacts/" + stage.name() + "/trivy.json for all of them"));
    }
    for (JsonNode waiver : result.path("waivers").path("applied")) {
      checks.add(Check.warned("waiver " + label(waiver), "accepted until " + waiver.path("expires").asText() + ": "
          + waiver.path("reason").asText() + " (" + waiver.path("matchedFindings").asLong() + " finding(s))", Optional.empty()));
    }
    for (JsonNode waiver : result.path("waivers").path("expired")) {
      checks.add(Check.warned("waiver " + label(waiver) + " expired", "expired on " + waiver.path("expires").asText()
              + "; it no longer applies",
          Optional.of("fix the finding, or renew the waiver with a new expiry date and reason")));
    }
    checks.add(gate(result));
    return checks;
  }

  private static Check finding(JsonNode finding) {
    String pkg = finding.path("package").asText();
    String installed = finding.path("installedVersion").asText();
    String where = finding.path("pkgPath").asText(finding.path("target").asText());
    String name = finding.path("id").asText() + " " + pkg + " " + installed;
    String message = finding.path("severity").asText() + " " + finding.path("id").asText() + " in " + pkg + " " + installed
        + " (" + where + ")";
    Optional<String> fixed = BundleView.text(finding, "fixedVersion").filter(version -> !version.isBlank());
    String fix = fixed
        .map(version -> "upgrade " + pkg + " to " + version + " or later (for an OS package, rebuild on a patched base image)")
        .orElse("no fixed version yet: remove " + pkg + ", or waive it in the waivers file with a reason and an expiry date");
    return Check.failed(name, message, fix);
  }

  private static Check gate(JsonNode result) {
    String reason = result.path("gate").path("reason").asText("no gate decision recorded");
    if (result.path("gate").path("decision").asText().equals("passed")) {
      return Check.passed("scan gate", reason);
    }
    String failOn = String.join(", ", BundleView.texts(result.path("policy").path("failOn")));
    return Check.failed("scan gate", reason,
        "upgrade or remove the blocking packages above, or waive accepted ones with a reason and expiry (failOn " + failOn + ")");
  }

  private static String label(JsonNode waiver) {
    return waiver.path("id").asText() + BundleView.text(waiver, "package").map(pkg -> " (" + pkg + ")").orElse("");
  }
}
