package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.StageStatus;
import dev.releasegate.spi.StageResult;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How a stage ended, decided on the coordinator from what the stage's thread saw and from why it was
 * stopped: its status, whose fault a failure is, and the reason its entry and statement give.
 *
 * @param failure null unless the stage failed
 * @param reason null for a stage that passed
 */
record StageVerdict(StageStatus status, FailureKind failure, String reason) {

  StageVerdict {
    Objects.requireNonNull(status, "status");
    if (status == StageStatus.PASSED && (failure != null || reason != null)) {
      throw new IllegalArgumentException("a stage that passed has no failure and no reason");
    }
  }

  /** Decides the stage of {@code attempt}; {@code stopReason} is why the run stopped, if it did. */
  static StageVerdict of(StageAttempt.Outcome attempt, StageAttempt how, String stopReason) {
    StageResult result = attempt.result();
    boolean stopped = how.stoppedBy() != null && (attempt.interrupted() || result == null);
    if (result != null && result.outcome() == StageResult.Outcome.REJECTED) {
      // A gate that said no said it, whatever else happened meanwhile.
      return new StageVerdict(StageStatus.FAILED, FailureKind.REJECTED, result.summary());
    }
    if (stopped && how.stoppedBy() == StopCause.DEADLINE) {
      // The gate could not decide in time: a hung registry or tool, or work without end.
      return new StageVerdict(StageStatus.FAILED, FailureKind.ENVIRONMENT,
          attempt.message() != null && attempt.message().startsWith(how.overdue()) ? attempt.message() : how.overdue());
    }
    if (stopped && how.stoppedBy() == StopCause.FAILURE) {
      return new StageVerdict(StageStatus.CANCELLED, null, "cancelled: " + stopReason);
    }
    if (stopped || attempt.interrupted()) {
      // A stage that "passed" while it was being interrupted may have passed half-done: it fails closed.
      return new StageVerdict(StageStatus.FAILED, FailureKind.INTERRUPTED,
          attempt.failure() == FailureKind.INTERRUPTED && attempt.message() != null ? attempt.message() : StageAttempt.INTERRUPTED_MESSAGE);
    }
    if (result != null) {
      return new StageVerdict(StageStatus.PASSED, null, null);
    }
    return new StageVerdict(StageStatus.FAILED, attempt.failure(), attempt.message());
  }

  /** With the reason's secrets replaced: a stage's message may quote what it read. */
  StageVerdict redacted(UnaryOperator<String> redact) {
    return new StageVerdict(status, failure, reason == null ? null : redact.apply(reason));
  }

  /** A stage that did not pass names what the run already wrote to the registry: someone has to remove it. */
  StageVerdict naming(List<RegistryWrite> written) {
    if (status == StageStatus.PASSED || written.isEmpty()) {
      return this;
    }
    return new StageVerdict(status, failure, reason + "; already written to the registry: "
        + String.join(", ", written.stream().map(RegistryWrite::where).toList()) + " (the evidence says how to remove each)");
  }

  /** Whether the statement carries the stage's own predicate: a pass, or a gate's no; else the stage-error predicate. */
  boolean keepsPredicate() {
    return status == StageStatus.PASSED || failure == FailureKind.REJECTED;
  }

  /** The stage-error predicate of a stage that could not decide. */
  ObjectNode errorPredicate(StageDeclaration stage) {
    ObjectNode predicate = Json.object();
    predicate.put("stage", stage.name()).put("type", stage.type()).put("status", status.id());
    if (failure != null) {
      predicate.put("failure", failure.id());
    }
    predicate.put("message", reason);
    return predicate;
  }
}
