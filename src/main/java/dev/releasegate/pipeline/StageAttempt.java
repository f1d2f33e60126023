package dev.releasegate.pipeline;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.spi.StageResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One stage on its way, on a thread of its own, with a deadline, stoppable by the coordinator. The
 * coordinator sets {@code stoppedBy} and then interrupts {@code thread}; the stage's thread sets
 * {@code thread} and then reads {@code stoppedBy}; so a stage stopped before its thread got going
 * never starts, and one that started is interrupted. What the stage did is an {@link Outcome}, which
 * {@link StageVerdict} turns into the stage's status.
 */
final class StageAttempt {
  static final String INTERRUPTED_MESSAGE = "interrupted: releasegate was asked to stop";

  /**
   * What one stage did, as its thread saw it.
   *
   * @param result null when the stage threw
   * @param failure and {@code message}, {@code cause}: why it threw; null for a result
   * @param interrupted whether its thread was interrupted, whatever the stage returned
   */
  record Outcome(
      int index, Instant start, Instant end, StageResult result, FailureKind failure, String message, Throwable cause,
      boolean interrupted, List<RegistryWrite> writes) {}

  private final int index;
  private final StageDeclaration stage;
  private final Duration limit;
  /** {@link System#nanoTime} at which the stage is overdue. */
  private final long deadline;
  private volatile Thread thread;
  private volatile StopCause stoppedBy;

  /** The deadline runs from now. */
  StageAttempt(int index, StageDeclaration stage) {
    this.index = index;
    this.stage = stage;
    this.limit = stage.deadline();
    this.deadline = System.nanoTime() + limit.toNanos();
  }

  /** Runs the stage in {@code context} on the calling thread; never throws. */
  Outcome run(RunContext context, Clock clock) {
    Instant start = clock.instant();
    StageResult result = null;
    Exception thrown = null;
    thread = Thread.currentThread();
    try {
      if (stoppedBy != null) {
        throw new InterruptedException("stopped before it started");
      }
      result = stage.factory().create(stage.options()).run(context);
      if (result == null) {
        throw new IllegalStateException("stage returned no result");
      }
    } catch (InterruptedException | RuntimeException e) {
      thrown = e;
    }
    thread = null;
    // Non-short-circuit: the interrupt flag is cleared either way, so the pool's thread starts clean.
    boolean interrupted = thrown instanceof InterruptedException | Thread.interrupted();
    return new Outcome(index, start, clock.instant(), result, thrown == null ? null : failureOf(thrown),
        thrown == null ? null : messageOf(thrown), thrown, interrupted, context.writes());
  }

  /** Whose fault: the user's input, the machine or a tool, or a stop; a bug in a stage counts as the environment's. */
  private static FailureKind failureOf(Exception thrown) {
    if (thrown instanceof InvalidInputException) {
      return FailureKind.INVALID_INPUT;
    }
    if (thrown instanceof InterruptedException) {
      return FailureKind.INTERRUPTED;
    }
    return FailureKind.ENVIRONMENT;
  }

  private static String messageOf(Exception thrown) {
    if (thrown instanceof InvalidInputException || thrown instanceof EnvironmentException) {
      return thrown.getMessage();
    }
    if (thrown instanceof InterruptedException) {
      return INTERRUPTED_MESSAGE;
    }
    return "internal error: " + thrown;
  }

  /** What is recorded of a stage that did not stop within {@code grace} of being asked to; it is left behind. */
  Outcome abandoned(Instant now, Duration grace) {
    String why = stoppedBy == StopCause.DEADLINE ? overdue() + ", and" : "";
    return new Outcome(index, now, now, null, FailureKind.INTERRUPTED,
        (why + " did not stop within " + grace.toSeconds() + " s of being asked to").strip(), null, true, List.of());
  }

  int index() {
    return index;
  }

  long deadline() {
    return deadline;
  }

  /** Null while nobody asked the stage to stop. */
  StopCause stoppedBy() {
    return stoppedBy;
  }

  String overdue() {
    String limit = this.limit.toSecondsPart() == 0 && this.limit.toMillisPart() == 0 ? this.limit.toMinutes() + " min"
        : String.format(Locale.ROOT, "%.1f s", this.limit.toMillis() / 1000.0);
    return "did not finish within its deadline of " + limit;
  }

  /** Asks the stage to stop, once: the first cause is the one recorded. */
  void stop(StopCause cause) {
    if (stoppedBy == null) {
      stoppedBy = cause;
      Thread current = thread;
      if (current != null) {
        current.interrupt();
      }
    }
  }
}
