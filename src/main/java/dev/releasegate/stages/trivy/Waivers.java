package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.waivers.WaiversFile;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The scan's waivers file: accepted findings, each with a reason and an expiry date, optionally
 * limited to one package.
 *
 * <pre>
 * waivers:
 *   - id: CVE-2019-18224
 *     package: libidn2-0          # optional: without it the waiver covers the id in every package
 *     reason: the service never passes user input to libidn2
 *     expires: 2026-12-31         # last day the waiver applies (UTC)
 * </pre>
 *
 * The file's rules (strict keys, reason and expiry required, positions in messages) are {@link
 * WaiversFile}'s, shared with the readiness lint; this class adds what a waiver means for a finding.
 */
final class Waivers {
  /** The scan's scope key: a waiver may be limited to one package. */
  static final Optional<String> SCOPE_KEY = Optional.of("package");

  private Waivers() {}

  /**
   * One waiver.
   *
   * @param pkg the PkgName it is limited to, if any
   * @param expires the last day (UTC) on which it applies
   * @param line where it starts in the file, for messages and evidence
   */
  record Waiver(String id, Optional<String> pkg, String reason, LocalDate expires, int line) {

    boolean covers(Finding finding) {
      return id.equals(finding.id()) && pkg.map(finding.pkgName()::equals).orElse(true);
    }

    boolean expiredOn(LocalDate today) {
      return shared().expiredOn(today);
    }

    /** {@code CVE-1 (pkg)} or {@code CVE-1}. */
    String label() {
      return id + pkg.map(name -> " (" + name + ")").orElse("");
    }

    ObjectNode toJson() {
      return shared().toJson(SCOPE_KEY);
    }

    private dev.releasegate.waivers.Waiver shared() {
      return new dev.releasegate.waivers.Waiver(id, pkg, reason, expires, line);
    }
  }

  /**
   * Parses {@code content}; {@code file} is the name messages use.
   *
   * @throws InvalidInputException listing every problem as {@code file:line:column: message}
   */
  static List<Waiver> parse(byte[] content, String file) {
    return WaiversFile.parse(content, file, SCOPE_KEY).stream()
        .map(waiver -> new Waiver(waiver.id(), waiver.scope(), waiver.reason(), waiver.expires(), waiver.line()))
        .toList();
  }
}
