package dev.releasegate.pipeline;

/** Why running stages were stopped. */
enum StopCause {
  /** A stage failed: the others are cancelled. */
  FAILURE,
  /** releasegate was asked to stop: the running stages are interrupted. */
  SIGNAL,
  /** The stage ran past its deadline: it is interrupted, and fails. */
  DEADLINE
}
