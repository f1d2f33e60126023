package dev.releasegate.base;

/** Why a stage failed, which decides the release status and the exit code. */
public enum FailureKind {
  /** The gate decided against the release. */
  REJECTED,
  /** The project or its configuration was unusable. */
  INVALID_INPUT,
  /** The machine, network or a tool failed, so the gate could not decide. */
  ENVIRONMENT,
  /** The run was interrupted (signal) before the stage decided. */
  INTERRUPTED;

  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
