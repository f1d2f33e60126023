package dev.releasegate.base;

/** What became of one stage; the evidence records it as the lower-case name. */
public enum StageStatus {
  PASSED,
  /** Rejected, or could not decide; the failure kind says which. */
  FAILED,
  /** Stopped before it decided, because another gate running at the same time failed. */
  CANCELLED,
  /** Not started: skipped with --skip, or not run because an earlier stage failed. */
  SKIPPED;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
