package dev.releasegate.api;

import dev.releasegate.base.FailureKind;
import dev.releasegate.base.StageStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The record of one stage in a finished run.
 *
 * @param name the stage's name in the pipeline
 * @param type the stage type ({@code uses:})
 * @param status passed, failed or skipped
 * @param reason why it failed or was skipped; empty when it passed
 * @param failure why a failed stage failed
 * @param durationMs wall time; 0 for a stage that did not run
 * @param statement the signed statement's path relative to the evidence directory, if one was written
 * @param details further lines such as blocking findings
 * @param warnings non-blocking findings
 */
public record StageReport(
    String name,
    String type,
    StageStatus status,
    Optional<String> reason,
    Optional<FailureKind> failure,
    long durationMs,
    Optional<String> statement,
    List<String> details,
    List<String> warnings) {

  public StageReport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    if ((status == StageStatus.FAILED) != failure.isPresent()) {
      throw new IllegalArgumentException("a failure kind is given exactly for failed stages");
    }
    if (status != StageStatus.PASSED && reason.isEmpty()) {
      throw new IllegalArgumentException("a failed or skipped stage needs a reason");
    }
    details = List.copyOf(details);
    warnings = List.copyOf(warnings);
  }
}
