package dev.releasegate.stages.readiness;

import java.util.List;
import java.util.Objects;

/**
 * What one check found, before severity and waivers decide what it means for the release.
 *
 * @param measured one line: the value the check looked at, e.g. {@code user 65532}; never a secret
 * @param findings one line per violation, e.g. a file that holds a key; never a secret
 */
record Evaluation(LintRule check, Verdict verdict, String measured, List<String> findings) {

  /** The check's own answer. */
  enum Verdict {
    OK,
    VIOLATED,
    /** The check does not apply to this image (a non-Java entrypoint for the JVM check, …). */
    NOT_APPLICABLE
  }

  Evaluation {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(measured, "measured");
    findings = List.copyOf(findings);
  }

  static Evaluation ok(LintRule check, String measured) {
    return new Evaluation(check, Verdict.OK, measured, List.of());
  }

  static Evaluation violated(LintRule check, String measured, List<String> findings) {
    return new Evaluation(check, Verdict.VIOLATED, measured, findings);
  }

  static Evaluation violated(LintRule check, String measured) {
    return violated(check, measured, List.of());
  }

  static Evaluation notApplicable(LintRule check, String why) {
    return new Evaluation(check, Verdict.NOT_APPLICABLE, why, List.of());
  }
}
