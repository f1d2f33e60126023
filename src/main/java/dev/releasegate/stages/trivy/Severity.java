package dev.releasegate.stages.trivy;

import java.util.Arrays;
import java.util.Optional;

/** Trivy's severities, most severe first. */
enum Severity {
  CRITICAL("9.5"),
  HIGH("8.0"),
  MEDIUM("5.5"),
  LOW("2.0"),
  UNKNOWN("0.0");

  /**
   * The score GitHub code scanning reads from {@code properties.security-severity}. Derived from the
   * severity the gate uses (the same scores Trivy's own SARIF falls back to), not from a CVSS vector,
   * so that GitHub ranks an alert exactly as the gate did.
   */
  private final String securitySeverity;

  Severity(String securitySeverity) {
    this.securitySeverity = securitySeverity;
  }

  String securitySeverity() {
    return securitySeverity;
  }

  static String[] names() {
    return Arrays.stream(values()).map(Enum::name).toArray(String[]::new);
  }

  /** Exact match only: a report with a severity this gate does not know cannot be judged. */
  static Optional<Severity> parse(String text) {
    return Arrays.stream(values()).filter(severity -> severity.name().equals(text)).findFirst();
  }
}
