package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.Releasegate;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's content, as text and as HTML, for real bundles: released, rejected, tampered, hostile. */
class ReleaseReportTest {
  static final String HOSTILE = "<script>alert(1)</script>";

  @TempDir static Path shared;
  static Path signer;
  static Path full;
  static Path scanRejected;

  @TempDir Path work;

  @BeforeAll
  static void bundles() {
    signer = TestKeys.write(shared, "signer");
    full = Bundles.fullPipeline(shared.resolve("full"), signer);
    scanRejected = Bundles.scanRejected(shared, signer);
  }

  static ReleaseReport report(Path bundle) {
    EvidenceReport verification = Releasegate.verifyEvidence(bundle, TestKeys.pub(signer), EvidencePolicy.NONE);
    return ReleaseReport.of(EvidenceView.read(bundle), verification, Optional.empty(), Releasegate.stageReaders());
  }

  @Test
  void releasedBundleHasAGreenBannerAndEveryStage() throws IOException {
    ReleaseReport report = report(full);

    assertTrue(report.banner().accepted());
    assertEquals("VERIFIED: released " + Bundles.DEMO_IMAGE, report.banner().title());
    assertEquals(10, report.sections().size(), "nine stages, then the verdict and the files");
    ReleaseReport.Section evidence = report.sections().get(9);
    assertEquals("Verdict and evidence files", evidence.title());
    assertEquals(StageCheck.Status.PASSED, evidence.status());
    assertEquals("PASSED (https://slsa.dev/verification_summary/v1)", evidence.facts().get(0).value());
    assertTrue(evidence.facts().stream().anyMatch(fact -> fact.label().equals("Policy") && fact.value().contains(", sha256 ")), evidence.facts().toString());
    StageDetails.Table inputs = (StageDetails.Table) evidence.blocks().get(0);
    String sbomSha256 = "sha256:" + dev.releasegate.base.Digests.sha256Hex(full.resolve("statements/03-sbom.dsse.json"));
    assertEquals(8, inputs.rows().size(), "one input attestation per stage with a statement: " + inputs);
    assertTrue(inputs.rows().contains(StageDetails.Row.of("sbom", "statements/03-sbom.dsse.json", sbomSha256)), inputs.toString());
    assertEquals("#stage-3", report.links().get(sbomSha256), "the digest leads to the stage it names");
    StageDetails.Table files = (StageDetails.Table) evidence.blocks().get(1);
    StageDetails.Row verdict = files.rows().stream().filter(row -> row.cells().get(0).equals("statements/99-verdict.dsse.json")).findFirst().orElseThrow();
    Path verdictFile = full.resolve("statements/99-verdict.dsse.json");
    assertEquals(List.of("statements/99-verdict.dsse.json", Long.toString(verdictFile.toFile().length()), dev.releasegate.base.Digests.sha256Hex(
        verdictFile)), verdict.cells(), "each file with its size and sha256, as an auditor's copy can be matched");
    String text = TextReport.render(report);
    assertTrue(text.startsWith("=".repeat(78) + "\n[ OK ] VERIFIED: released 127.0.0.1:44165/hello-service@sha256:513c4"), text);
    for (String expected : List.of(
        "  Digest             sha256:513c410e529b3498ae96b2ab2a5e388a9017b673602f16d683c5657b0ce0bd52\n",
        "  Tags               1.0.0, a4ad2f7\n",
        "  Git commit         a4ad2f79b8f2e3b3ab5b26c98860aee5922d0dd4\n",
        "  Git source         https://example.com/releasegate/hello-service.git\n",
        "  CI run             " + Bundles.CI_URL + "\n",
        "  GITHUB_RUN_ID      4242\n",
        "Stage 4/9: scan: SKIPPED\n",
        "  Reason    skipped with --skip\n",
        "  Tests             48 total: 48 passed, 0 failed, 0 skipped\n",
        "  Statement sha256  " + sbomSha256 + "\n",
        "  Base image        127.0.0.1:44165/base/java17@sha256:614d3fd63f3fd1aa6cfc2afbac8f97ba5be85eefc60f2c646a96a663b2a2d061\n",
        "  Revision          a4ad2f79b8f2e3b3ab5b26c98860aee5922d0dd4 (git+https://example.com/releasegate/hello-service.git@a4ad2f7",
        "  Components        14\n",
        "    library           11\n",
        "    library           com.fasterxml.jackson.core:jackson-core  2.22.4             pkg:maven/com.fasterxml.jackson.core/jackson-core@2.22.4",
        "    n-a     RG-IMG-012  health check declared                             Health checks ",
        "    pass    RG-IMG-001  runs as a non-root user                           Run as non-root user                      error     user 65532",
        "    gracefulStop    passed  exit 0 or 143 within 10 s of SIGTERM",
        "exit 143 after 0.72 s\n",
        "    1.0.0    created\n",
        "  Verified in the registry (3)\n",
        "58c41df5d911eec5df2ceaa102a1174cc273296e4ae434e9c94864867472f6e5  legacy  sha256-513c410e529b3498ae96b2ab2a5e388a9017b673602f16d683c5657b0ce0bd52.sig",
        "    https://slsa.dev/provenance/v1  58c41df5d911eec5df2ceaa102a1174cc273296e4ae434e9c94864867472f6e5  bundle  sha256:6d1e")) {
      assertTrue(text.contains(expected), "missing: " + expected + "\n" + text);
    }
  }

  @Test
  void rejectedScanShowsCountsFindingsWaiversAndWhatToDo() {
    ReleaseReport report = report(scanRejected);

    assertFalse(report.banner().accepted());
    assertEquals("NOT RELEASED: authentic evidence of a rejected release of " + Bundles.REPOSITORY + "@" + dev.releasegate.testplugin.FakeImageStageFactory.DIGEST,
        report.banner().title());
    assertEquals(List.of("stage 'scan': 1 blocking vulnerability (failOn CRITICAL): CVE-2019-14697 musl"), report.banner().lines());
    String text = TextReport.render(report);
    for (String expected : List.of(
        "[ !! ] NOT RELEASED: authentic evidence of a rejected release",
        "Stage 3/4: scan: FAILED (REJECTED)\n",
        "  Policy            failOn CRITICAL\n",
        "    Severity  Found  Unfixed, ignored  Before waivers  Waived  After waivers\n",
        "    CRITICAL  2      0                 2               1       1\n",
        "    CVE-2019-14697  CRITICAL  musl     1.1.20-r4  1.1.20-r5  testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)\n",
        "    CVE-2019-14697  musl-utils  applied  <b>not reachable</b> from the service",
        "    CVE-2018-0001   zlib        expired  old exception                          2020-01-01\n",
        "    - CVE-2019-14697 musl 1.1.20-r4: upgrade musl to 1.1.20-r5 or later",
        "Stage 4/4: shout: SKIPPED\n")) {
      assertTrue(text.contains(expected), "missing: " + expected + "\n" + text);
    }
  }

  @Test
  void aPlugInStageShowsItsOwnSectionThroughItsReader() {
    EvidenceView view = EvidenceView.read(Bundles.scanReleased(work, signer));
    EvidenceReport verification = Releasegate.verifyEvidence(view.root(), TestKeys.pub(signer), EvidencePolicy.NONE);

    ReleaseReport report = ReleaseReport.of(view, verification, Optional.empty(), Releasegate.stageReaders());
    ReleaseReport.Section shout = report.sections().get(3);
    assertEquals("Stage 4/4: shout", shout.title());
    assertTrue(shout.facts().contains(new StageDetails.Fact("Shouted", "HELLO")), shout.facts().toString());
    assertTrue(shout.blocks().contains(new StageDetails.Items("Shout artifact", List.of("artifacts/shout/shout.txt"))), shout.blocks().toString());
    String html = HtmlReport.render(report);
    assertTrue(html.contains("<th>Shouted</th>") && html.contains("HELLO"), html);
    assertTrue(TextReport.render(report).contains("  Shouted           HELLO\n"), TextReport.render(report));

    ReleaseReport.Section withoutReaders = ReleaseReport.of(view, verification, Optional.empty(), StageReaders.NONE).sections().get(3);
    assertFalse(withoutReaders.facts().stream().anyMatch(fact -> fact.label().equals("Shouted")), "the section comes from the stage's reader");
  }

  @Test
  void tamperedBundleHasARedBannerWithTheProblems() throws IOException {
    Path bundle = copy(full, work.resolve("tampered"));
    Files.writeString(bundle.resolve("statements/06-smoke.dsse.json"), "{}");

    ReleaseReport report = report(bundle);

    assertFalse(report.banner().accepted());
    assertTrue(report.banner().title().startsWith("NOT VERIFIED: the evidence is not authentic"), report.banner().title());
    assertTrue(report.banner().lines().get(0).startsWith("statements/06-smoke.dsse.json: digest: sha256 "), report.banner().lines().toString());
    assertEquals(List.of(), report.facts(), "nothing the files claim is shown");
    assertEquals(List.of(), report.sections());
    assertEquals(List.of(), report.readProblems());
    assertTrue(report.banner().lines().contains("Nothing else is shown: what the files claim was not signed."), report.banner().lines().toString());
    String html = HtmlReport.render(report);
    assertTrue(html.contains("<header id=\"banner\" class=\"banner bad\" role=\"status\">\n<h1>NOT VERIFIED: the evidence is not authentic"), html);
  }

  @Test
  void htmlEscapesEveryValueFromTheBundle() throws IOException {
    // Authentic: a signed SBOM may name anything a jar's pom.properties says.
    Path signed = Bundles.fullPipeline(work.resolve("signed"), signer, predicate -> {
      if (predicate.has("bomFormat")) {
        ((ObjectNode) predicate.get("components").get(0)).put("name", HOSTILE).put("version", "\"><img src=x onerror=alert(2)>");
      }
      return predicate;
    });
    // Not authentic: a stage name the writer would never accept, put into bundle.json by hand.
    Path edited = copy(full, work.resolve("edited"));
    ObjectNode index = (ObjectNode) Json.parse(Files.readAllBytes(edited.resolve("bundle.json")));
    ((ObjectNode) index.get("stages").get(0)).put("name", HOSTILE).put("reason", "a & b");
    ((ArrayNode) index.get("tags")).add("javascript:alert(3)");
    Files.write(edited.resolve("bundle.json"), Json.pretty(index));

    for (Path bundle : List.of(signed, edited)) {
      String html = HtmlReport.render(report(bundle));

      assertEquals(1, count(html, "<script"), "only the page's own script: " + bundle);
      assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), bundle.toString());
      assertFalse(html.contains("<img"), bundle.toString());
      assertFalse(html.contains("href=\"javascript"), bundle.toString());
    }
    assertTrue(HtmlReport.render(report(signed)).contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assertFalse(HtmlReport.render(report(edited)).contains("a &amp; b"), "an unsigned reason is not shown at all");
  }

  @Test
  void htmlIsSelfContainedAndItsPolicyAllowsOnlyItsOwnStyleAndScript() {
    String html = HtmlReport.render(report(full));

    assertFalse(Pattern.compile("\\ssrc=|<link[^>]+stylesheet|@import|url\\(", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "nothing is loaded from elsewhere");
    Matcher policy = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">").matcher(html);
    assertTrue(policy.find());
    assertTrue(policy.group(1).startsWith("default-src 'none'; style-src 'sha256-"), policy.group(1));
    assertEquals(HtmlReport.contentSecurityPolicy(), policy.group(1));
    assertTrue(html.contains("<td>sha256:513c410e529b3498ae96b2ab2a5e388a9017b673602f16d683c5657b0ce0bd52</td>"));
    assertTrue(html.contains("<input type=\"search\""), "the component list has a filter");
    assertEquals(HtmlReport.render(report(full)), html, "the same bundle renders to the same page");
  }

  @Test
  void textNeutralisesTerminalControlCharacters() {
    Path bundle = Bundles.fullPipeline(work.resolve("terminal"), signer, predicate -> {
      if (predicate.has("linter")) {
        ((ObjectNode) predicate.get("checks").get(0)).put("measured", "\u001b]0;owned\u0007\u001b[2Jcleared\u202Eevil");
      }
      return predicate;
    });

    String text = TextReport.render(report(bundle));

    assertFalse(text.chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x202E));
    assertTrue(text.contains("?]0;owned??[2Jcleared?evil"), text);
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  static Path copy(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    return to;
  }
}
