package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The readiness lint: one check per lint check, with the fix the statement records for it. */
final class LintChecks {
  /** Findings of one check put in its message; the statement keeps them all. */
  static final int MAX_FINDINGS = 20;

  private LintChecks() {}

  static List<Check> of(JsonNode predicate) {
    List<Check> checks = new ArrayList<>();
    for (JsonNode check : predicate.path("checks")) {
      checks.add(check(check));
    }
    return checks;
  }

  private static Check check(JsonNode check) {
    String name = check.path("id").asText() + " " + check.path("check").asText();
    String message = message(check);
    Optional<String> fix = BundleView.text(check, "fix");
    return switch (check.path("result").asText()) {
      case "pass" -> Check.passed(name, message);
      case "fail" -> Check.failed(name, message, fix.orElse("see the lint stage's statement"));
      case "warn" -> Check.warned(name, message, fix);
      case "n-a" -> Check.skipped(name, "does not apply: " + message);
      case "waived" -> Check.warned(name, message + "; waived until " + check.path("waiver").path("expires").asText() + ": "
          + check.path("waiver").path("reason").asText(), fix);
      default -> Check.warned(name, "unknown result '" + check.path("result").asText() + "': " + message, fix);
    };
  }

  /** The measured value, then the findings. */
  static String message(JsonNode check) {
    List<String> findings = BundleView.texts(check.path("findings"));
    StringBuilder text = new StringBuilder(check.path("measured").asText());
    findings.stream().limit(MAX_FINDINGS).forEach(finding -> text.append("\n- ").append(finding));
    if (findings.size() > MAX_FINDINGS) {
      text.append("\n- and ").append(findings.size() - MAX_FINDINGS).append(" more in the statement");
    }
    return text.toString();
  }
}
