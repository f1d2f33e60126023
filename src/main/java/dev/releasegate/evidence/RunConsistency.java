package dev.releasegate.evidence;

import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.spi.StageKind;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Stage order and completeness, and a verdict that follows from the stage results: gates come before
 * publishers, no publisher ran unless every gate passed (or was skipped with --skip), none ran in a dry
 * run, and nothing was cancelled or left not run unless a stage failed.
 */
final class RunConsistency {
  private final Problems problems;

  RunConsistency(Problems problems) {
    this.problems = problems;
  }

  void check(RunRecord run) {
    Set<String> names = new LinkedHashSet<>();
    StageEntry firstPublisher = null;
    StageEntry gateNotPassed = null;
    boolean anyFailed = run.stages().stream().anyMatch(stage -> stage.status() == StageStatus.FAILED);
    for (StageEntry stage : run.stages()) {
      if (!EvidenceLayout.STAGE_NAME.matcher(stage.name()).matches() || !names.add(stage.name())) {
        problem("stage name '" + stage.name() + "' is invalid or repeated");
      }
      boolean ran = stage.status() != StageStatus.SKIPPED;
      if (ran != stage.statement().isPresent()) {
        problem("stage '" + stage.name() + "' is " + stage.status().id() + (ran ? " but has no statement" : " but has a statement"));
      }
      boolean notRunInDryRun = stage.status() == StageStatus.SKIPPED && stage.reason().orElse("").equals(EvidenceVerifier.NOT_RUN_IN_DRY_RUN);
      if (run.dryRun() && stage.kind() == StageKind.PUBLISHER && ran) {
        problem("publisher '" + stage.name() + "' ran in a dry run");
      }
      if (notRunInDryRun && !(run.dryRun() && stage.kind() == StageKind.PUBLISHER)) {
        problem("stage '" + stage.name() + "' is recorded as held back by a dry run, but "
            + (run.dryRun() ? "it is a gate" : "the run is not a dry run"));
      }
      boolean skippedOnPurpose = stage.status() == StageStatus.SKIPPED
          && (stage.reason().orElse("").equals(EvidenceVerifier.SKIPPED_ON_PURPOSE) || notRunInDryRun);
      boolean stopped = stage.status() == StageStatus.CANCELLED || (stage.status() == StageStatus.SKIPPED && !skippedOnPurpose);
      if (stopped && !anyFailed) {
        problem("stage '" + stage.name() + "' is " + stage.reason().orElse(stage.status().id()) + ", but no stage failed");
      }
      if (stage.kind() == StageKind.PUBLISHER) {
        firstPublisher = firstPublisher == null ? stage : firstPublisher;
        if (ran && gateNotPassed != null) {
          problem("publisher '" + stage.name() + "' ran although gate '" + gateNotPassed.name() + "' is " + gateNotPassed.status().id());
        }
      } else {
        if (firstPublisher != null) {
          problem("gate '" + stage.name() + "' comes after publisher '" + firstPublisher.name() + "'");
        }
        if (stage.status() != StageStatus.PASSED && !skippedOnPurpose && gateNotPassed == null) {
          gateNotPassed = stage;
        }
      }
    }
    if (run.stages().isEmpty()) {
      problem("no stages");
    }
    ReleaseStatus expected = RunRecord.statusOf(run.stages(), run.dryRun());
    if (run.status() != expected) {
      problems.add(EvidenceLayout.INDEX, "verdict", "status " + run.status().id() + " contradicts the stage results, which make it " + expected.id());
    }
    if (run.status() == ReleaseStatus.RELEASED && run.git().dirty() && !run.allowDirty()) {
      problems.add(EvidenceLayout.INDEX, "verdict", "released from a dirty work tree without allowDirty");
    }
  }

  private void problem(String message) {
    problems.add(EvidenceLayout.INDEX, "stages", message);
  }
}
