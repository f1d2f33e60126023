package dev.releasegate.spi;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a stage's outcome that a CI test view shows: a test, a finding, a lint or smoke check, or
 * the stage's decision.
 *
 * @param name what was checked, unique within its stage
 * @param message what was found, in one or a few lines
 * @param fix what to do so that it passes; present for every failed check
 */
public record StageCheck(String name, Status status, String message, Optional<String> fix) {

  /** How the check came out. */
  public enum Status {
    PASSED,
    FAILED,
    /** Passed, with something a reader should look at (a warn-level lint check, a waived finding). */
    WARNED,
    /** Not run: the stage was skipped, or the check did not apply. */
    SKIPPED;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public StageCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(fix, "fix");
    if (status == Status.FAILED && fix.isEmpty()) {
      throw new IllegalArgumentException(name + ": a failed check says what to do");
    }
  }

  public static StageCheck passed(String name, String message) {
    return new StageCheck(name, Status.PASSED, message, Optional.empty());
  }

  public static StageCheck failed(String name, String message, String fix) {
    return new StageCheck(name, Status.FAILED, message, Optional.of(fix));
  }

  public static StageCheck warned(String name, String message, Optional<String> fix) {
    return new StageCheck(name, Status.WARNED, message, fix);
  }

  public static StageCheck skipped(String name, String message) {
    return new StageCheck(name, Status.SKIPPED, message, Optional.empty());
  }
}
