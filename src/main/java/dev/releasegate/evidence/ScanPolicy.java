package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.base.Messages;
import dev.releasegate.base.StageStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy's demands on the passed trivy scans, as of verification time: how old their vulnerability DB
 * is, how long the waivers they applied still hold. A release that was fine when made can fail these later.
 */
final class ScanPolicy {
  /** The stage type whose predicate these rules read. */
  private static final String SCAN_TYPE = "trivy";

  private ScanPolicy() {}

  static List<String> violations(Path bundle, RunRecord run, EvidencePolicy policy, Instant now) {
    List<String> violations = new ArrayList<>();
    List<StageEntry> scans = run.stages().stream()
        .filter(stage -> stage.type().equals(SCAN_TYPE) && stage.status() == StageStatus.PASSED && stage.statement().isPresent()).toList();
    if (scans.isEmpty()) {
      violations.add("policy: maxScanDbAgeHours and minWaiverValidityDays need a passed " + SCAN_TYPE + " stage; there is none");
      return violations;
    }
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    for (StageEntry scan : scans) {
      try {
        JsonNode statement = Json.parse(DsseEnvelope.parse(BoundedFiles.read(bundle.resolve(scan.statement().get()), EvidenceLayout.MAX_STATEMENT_BYTES))
            .payload());
        JsonNode result = statement.path("predicate").path("scanner");
        if (policy.maxScanDbAgeHours().isPresent()) {
          Instant updated = Instant.parse(result.at("/db/updatedAt").asText());
          long hours = Duration.between(updated, now).toHours();
          if (hours > policy.maxScanDbAgeHours().get()) {
            violations.add("policy: scan '" + scan.name() + "' used a vulnerability DB updated " + updated + ", " + hours
                + " h ago; maxScanDbAgeHours is " + policy.maxScanDbAgeHours().get());
          }
        }
        if (policy.minWaiverValidityDays().isPresent()) {
          LocalDate needed = today.plusDays(policy.minWaiverValidityDays().get());
          for (JsonNode waiver : result.at("/result/waivers/applied")) {
            LocalDate expires = LocalDate.parse(waiver.path("expires").asText());
            if (expires.isBefore(needed)) {
              violations.add("policy: scan '" + scan.name() + "' applied the waiver for " + waiver.path("id").asText() + " that "
                  + (expires.isBefore(today) ? "expired" : "expires") + " on " + expires + "; minWaiverValidityDays is "
                  + policy.minWaiverValidityDays().get());
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        violations.add("policy: cannot read scan '" + scan.name() + "': " + Messages.firstLine(e));
      }
    }
    return violations;
  }
}
