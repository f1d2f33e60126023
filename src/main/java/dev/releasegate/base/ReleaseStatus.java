package dev.releasegate.base;

/** The verdict of a release run. */
public enum ReleaseStatus {
  /** Every stage that ran passed. */
  RELEASED,
  /** A gate decided against the release. */
  REJECTED,
  /** A stage could not decide: bad input, a broken environment or an interruption. */
  FAILED,
  /**
   * Every gate passed in a dry run ({@code release --dry-run}), which publishes nothing: a rehearsal,
   * never a release.
   */
  DRY_RUN;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
