package dev.releasegate.stages.trivy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How a report that cannot be trusted is refused: the message names what is wrong and where. */
class TrivyReportTest {

  private static byte[] report(String vulnerability) {
    return ("{\"SchemaVersion\":2,\"ArtifactName\":\"r@sha256:" + "a".repeat(64) + "\",\"ArtifactType\":\"container_image\","
        + "\"Results\":[{\"Target\":\"t\",\"Class\":\"os-pkgs\",\"Type\":\"debian\",\"Vulnerabilities\":[" + vulnerability + "]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFindingWithoutSeverityIsRefusedNamingItsIdAndWhy() {
    IOException e = assertThrows(IOException.class, () -> TrivyReport.parse(report(
        "{\"VulnerabilityID\":\"CVE-2099-0001\",\"PkgName\":\"zlib1g\",\"InstalledVersion\":\"1\"}")));
    assertEquals("Results[0].Vulnerabilities[0] (CVE-2099-0001) has no Severity: trivy's DB has no details of CVE-2099-0001 "
        + "(trivy before 0.72 then omits it); update trivy or its DB", e.getMessage());
  }

  @Test
  void aFindingWithSeverityIsRead() throws IOException {
    TrivyReport report = TrivyReport.parse(report(
        "{\"VulnerabilityID\":\"CVE-2099-0001\",\"PkgName\":\"zlib1g\",\"InstalledVersion\":\"1\",\"Severity\":\"LOW\"}"));
    assertEquals(Severity.LOW, report.findings().get(0).severity());
  }
}
