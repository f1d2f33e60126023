package dev.releasegate.evidence;

import dev.releasegate.base.StageStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a bundle's run lacks for an auditor's policy: stages that must have passed, isolation, a clean work tree, fresh scans. */
final class PolicyViolations {
  private PolicyViolations() {}

  /** The violations of {@code policy} by {@code run}, read from {@code bundle}, as of {@code now}. */
  static List<String> of(Path bundle, RunRecord run, EvidencePolicy policy, Instant now) {
    List<String> violations = new ArrayList<>();
    if (policy.maxScanDbAgeHours().isPresent() || policy.minWaiverValidityDays().isPresent()) {
      violations.addAll(ScanPolicy.violations(bundle, run, policy, now));
    }
    for (EvidencePolicy.Requirement required : policy.requirePassed()) {
      boolean passed = run.stages().stream().anyMatch(stage -> stage.type().equals(required.type())
          && required.name().map(stage.name()::equals).orElse(true) && stage.status() == StageStatus.PASSED);
      if (!passed) {
        violations.add("policy: " + required + " must have run and passed");
      }
    }
    if (policy.requireIsolation() && !run.isolation().equals(RunRecord.ISOLATED)) {
      violations.add("policy: the project's commands ran without isolation from the release's secrets (isolation: " + run.isolation() + ")");
    }
    if (!policy.allowDirty() && run.git().dirty()) {
      violations.add("policy: released from a dirty work tree (" + String.join(", ", run.git().dirtyPaths()) + ")");
    }
    return violations;
  }
}
