package dev.releasegate.api;

/** What became of one stage; the evidence records it as the lower-case name. */
public enum StageStatus {
  PASSED,
  FAILED,
  SKIPPED;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
