package dev.releasegate.stages.trivy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.stages.trivy.Waivers.Waiver;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The waivers file is read strictly: every mistake is an invalid-input error naming file, line and entry. */
class WaiversTest {
  private static final String FILE = ".releasegate/waivers.yaml";

  private static List<Waiver> parse(String yaml) {
    return Waivers.parse(yaml.getBytes(StandardCharsets.UTF_8), FILE);
  }

  private static String problems(String yaml) {
    return assertThrows(InvalidInputException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void validEntriesAreRead() {
    List<Waiver> waivers = parse("""
        waivers:
          - id: CVE-2019-18224
            package: libidn2-0
            reason: the service never passes user input to libidn2
            expires: 2026-12-31
          - {id: CVE-2019-14697, reason: "not reachable", expires: "2027-01-15"}
        """);

    assertEquals(List.of(
        new Waiver("CVE-2019-18224", Optional.of("libidn2-0"), "the service never passes user input to libidn2", LocalDate.of(2026, 12, 31), 2),
        new Waiver("CVE-2019-14697", Optional.empty(), "not reachable", LocalDate.of(2027, 1, 15), 6)), waivers);
  }

  @Test
  void anEmptyListIsValid() {
    assertEquals(List.of(), parse("waivers: []\n"));
  }

  @Test
  void missingReasonAndExpiryAreReportedTogether() {
    assertEquals(FILE + ":2:5: waiver 1 (CVE-1): 'reason' is required; "
            + FILE + ":2:5: waiver 1 (CVE-1): 'expires' is required (YYYY-MM-DD)",
        problems("waivers:\n  - id: CVE-1\n"));
  }

  @Test
  void badDatesAreRefused() {
    assertEquals(FILE + ":2:5: waiver 1 (CVE-1): 'expires' must be a date YYYY-MM-DD, got '2026-02-30'",
        problems("waivers:\n  - {id: CVE-1, reason: r, expires: 2026-02-30}\n"));
    assertEquals(FILE + ":2:5: waiver 1 (CVE-1): 'expires' must be a date YYYY-MM-DD, got '31.12.2026'",
        problems("waivers:\n  - {id: CVE-1, reason: r, expires: 31.12.2026}\n"));
  }

  @Test
  void unknownKeysAreRefusedWithTheirPosition() {
    // A misspelt "package" must not silently widen the waiver to every package.
    assertEquals(FILE + ":3:5: waiver 1 (CVE-1): unknown key 'pakage' (allowed: id, package, reason, expires)",
        problems("waivers:\n  - id: CVE-1\n    pakage: musl\n    reason: r\n    expires: 2030-01-01\n"));
    assertEquals(FILE + ":1:1: unknown key 'vulnerabilities'; the file holds only 'waivers'",
        problems("vulnerabilities: []\n"));
  }

  @Test
  void wrongShapesAreRefused() {
    assertEquals(FILE + ":1:1: expected a mapping with the key 'waivers'", problems("- id: CVE-1\n"));
    assertEquals(FILE + ":1:1: 'waivers' must be a list", problems("waivers: CVE-1\n"));
    assertEquals(FILE + ":2:5: waiver 1: expected a mapping with id, reason, expires and optional package",
        problems("waivers:\n  - CVE-1\n"));
    assertEquals(FILE + ":2:40: waiver 1 (CVE-1): 'reason' must be a string",
        problems("waivers:\n  - {id: CVE-1, expires: \"2030-01-01\", reason: [a]}\n"));
    assertEquals(FILE + ":2:5: waiver 1 (CVE-1): 'package' must not be empty; leave it out to cover every package",
        problems("waivers:\n  - {id: CVE-1, package: \"\", reason: r, expires: 2030-01-01}\n"));
  }

  @Test
  void syntaxErrorsNameTheFile() {
    String message = problems("waivers:\n  - {id: CVE-1\n");
    assertTrue(message.startsWith(FILE + ":"), message);
    assertTrue(message.contains("not valid YAML"), message);
  }

  @Test
  void aWaiverAppliesThroughItsExpiryDayAndOnlyToItsPackage() {
    Waiver waiver = new Waiver("CVE-1", Optional.of("musl"), "r", LocalDate.of(2026, 6, 30), 2);
    assertFalse(waiver.expiredOn(LocalDate.of(2026, 6, 30)));
    assertTrue(waiver.expiredOn(LocalDate.of(2026, 7, 1)));
    assertTrue(waiver.covers(finding("CVE-1", "musl")));
    assertFalse(waiver.covers(finding("CVE-1", "musl-utils")));
    assertFalse(waiver.covers(finding("CVE-2", "musl")));
  }

  private static Finding finding(String id, String pkg) {
    return new Finding(id, Severity.CRITICAL, pkg, "1", "2", "fixed", "t", "os-pkgs", "alpine", "", "", "", "");
  }
}
