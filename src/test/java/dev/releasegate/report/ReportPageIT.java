package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML page written by the packaged CLI, rendered by a real browser: headless Chromium takes a
 * screenshot and dumps the DOM after the page's script ran. The page must show the digest, run its
 * script without a console message of any kind (errors, CSP violations, blocked loads), show a hostile
 * component name as text, and show a tampered bundle under a red banner.
 */
class ReportPageIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path PDFTOTEXT = Path.of("/usr/bin/pdftotext");
  static final Path PDFINFO = Path.of("/usr/bin/pdfinfo");
  static final Path PDFTOPPM = Path.of("/usr/bin/pdftoppm");
  static final String HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>";
  static final String DIGEST = Bundles.DEMO_IMAGE.digest();

  @TempDir static Path shared;
  static Path signer;
  static Path released;

  @TempDir Path work;

  @BeforeAll
  static void bundle() {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "chromium is not installed at " + CHROMIUM + "; scripts/test installs it (apt-get install chromium)");
    signer = TestKeys.write(shared, "signer");
    released = Bundles.fullPipeline(shared.resolve("released"), signer, predicate -> {
      if (predicate.has("bomFormat")) {
        ((ObjectNode) predicate.get("components").get(0)).put("name", HOSTILE);
      }
      return predicate;
    });
  }

  @Test
  void releasedBundleRendersGreenWithTheDigestAndNoConsoleMessages() throws Exception {
    Path page = render(released, 0);

    Browser screenshot = chromium(page, "--screenshot=" + work.resolve("page.png"), "--window-size=1280,2400");
    byte[] png = Files.readAllBytes(work.resolve("page.png"));
    assertTrue(png.length > 10_000, "a real screenshot: " + png.length + " bytes");
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8));
    assertEquals(List.of(), screenshot.console());

    Browser dump = chromium(page, "--dump-dom");
    String dom = dump.stdout();
    assertEquals(List.of(), dump.console(), "no console output: no script error, no blocked load, no CSP violation");
    assertTrue(dom.contains("data-script=\"ok\""), "the page's script ran to the end");
    assertTrue(dom.contains("class=\"banner ok\""), dom);
    assertTrue(dom.contains("VERIFIED: released " + Bundles.DEMO_IMAGE), "digest in the banner");
    assertTrue(dom.contains("<td>" + DIGEST + "</td>"), "digest in the release facts");
    assertTrue(dom.contains("<span class=\"count\" id=\"count-"), dom);
    assertTrue(dom.contains(">14 of 14</span>"), "the component filter counted every component");
    assertTrue(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"), "shown as text");
    assertFalse(dom.contains("<img"), "no element from the bundle");
    assertFalse(dom.contains("<title>pwned</title>"));
  }

  @Test
  void thePagePrintsEveryStageAndEveryFileWithoutItsFilterBoxes() throws Exception {
    assertTrue(Files.isExecutable(PDFTOTEXT), "poppler-utils is not installed; scripts/test installs it (apt-get install poppler-utils)");
    Path page = render(released, 0);
    Path pdf = work.resolve("report.pdf");

    Browser print = chromium(page, "--print-to-pdf=" + pdf, "--no-pdf-header-footer");

    assertEquals(List.of(), print.console());
    byte[] bytes = Files.readAllBytes(pdf);
    assertEquals("%PDF-", new String(bytes, 0, 5, StandardCharsets.US_ASCII));
    String text = run(PDFTOTEXT.toString(), "-layout", pdf.toString(), "-");
    String joined = text.replaceAll("\\s+", "");
    for (String expected : List.of("VERIFIED: released", "Stage 1/9: test", "Stage 9/9: push", "Verdict and evidence files",
        "Input attestations", "Statement sha256")) {
      assertTrue(text.contains(expected), "printed: " + expected + "\n" + text);
    }
    String verdictSha256 = dev.releasegate.base.Digests.sha256Hex(released.resolve("statements/99-verdict.dsse.json"));
    assertTrue(joined.contains("statements/99-verdict.dsse.json" + Files.size(released.resolve("statements/99-verdict.dsse.json")) + verdictSha256),
        "the last file's row, whole: " + text);
    assertTrue(joined.contains("jackson-core"), "every row of the searchable component table is printed");
    assertFalse(text.contains("14 of 14"), "the filter box and its count are not printed");
    int pages = Integer.parseInt(run(PDFINFO.toString(), pdf.toString()).lines().filter(line -> line.startsWith("Pages:"))
        .findFirst().orElseThrow().replaceAll("\\D", ""));
    assertTrue(pages >= 3 && pages <= 40, "A4 pages: " + pages);

    run(PDFTOPPM.toString(), "-png", "-r", "60", "-f", "1", "-l", "1", pdf.toString(), work.resolve("page").toString());
    byte[] png = Files.readAllBytes(work.resolve(pages >= 10 ? "page-01.png" : "page-1.png"));
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
  }

  @Test
  void aFileTheReportLinksOpensInTheBrowserAsTheBytesItLists() throws Exception {
    Path page = render(released, 0);
    String html = Files.readString(page);
    assertTrue(html.contains("<a href=\"./report-files/statements/99-verdict.dsse.json\">statements/99-verdict.dsse.json</a>"), html);

    Browser opened = chromium(work.resolve("report-files/statements/99-verdict.dsse.json"), "--dump-dom");

    assertEquals(List.of(), opened.console());
    String envelope = Files.readString(released.resolve("statements/99-verdict.dsse.json"));
    assertTrue(opened.stdout().contains(envelope.substring(0, Math.min(200, envelope.length())).replace("\"", "\"")),
        "the browser shows the envelope: " + opened.stdout());
  }

  @Test
  void tamperedBundleRendersRed() throws Exception {
    Path tampered = ReleaseReportTest.copy(released, work.resolve("tampered"));
    Files.writeString(tampered.resolve("statements/03-sbom.dsse.json"), "{}");
    Path page = render(tampered, 1);

    Browser dump = chromium(page, "--dump-dom");

    assertEquals(List.of(), dump.console());
    assertTrue(dump.stdout().contains("<html lang=\"en\" data-verdict=\"not-accepted\" data-script=\"ok\">"), dump.stdout());
    assertTrue(dump.stdout().contains("<header id=\"banner\" class=\"banner bad\" role=\"status\">\n<h1>NOT VERIFIED: the evidence is not authentic"),
        dump.stdout());
    assertTrue(dump.stdout().contains("<li>statements/03-sbom.dsse.json: digest: sha256 "), dump.stdout());
  }

  @Test
  void rejectedRunRendersRedWithTheReason() throws Exception {
    Path rejected = Bundles.scanRejected(work, signer);
    Path page = render(rejected, 1);

    Browser dump = chromium(page, "--dump-dom");

    assertEquals(List.of(), dump.console());
    assertTrue(dump.stdout().contains("class=\"banner bad\""), dump.stdout());
    assertTrue(dump.stdout().contains("<li>stage 'scan': 1 blocking vulnerability (failOn CRITICAL): CVE-2019-14697 musl</li>"), dump.stdout());
    assertTrue(dump.stdout().contains("<td class=\"short\">CVE-2019-14697</td><td class=\"short\">CRITICAL</td><td class=\"short\">musl</td>"), dump.stdout());
  }

  /** Runs {@code releasegate report BUNDLE --key PUB --html FILE} with the packaged jar. */
  private Path render(Path bundle, int expectedExit) {
    Path page = work.resolve("report.html");
    Cli.Result result = Cli.run(work, "report", bundle.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());
    assertEquals(expectedExit, result.exitCode(), result.toString());
    return page;
  }

  /** Runs a program to its end and returns its stdout; it must exit 0. */
  private String run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "finished: " + List.of(command));
    assertEquals(0, process.exitValue(), List.of(command).toString());
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /**
   * @param console the lines Chromium logged from the page's console (errors, CSP violations, blocked
   *     loads, console calls); its own start-up noise is left out
   */
  private record Browser(String stdout, List<String> console) {}

  private Browser chromium(Path page, String... mode) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000"));
    command.addAll(List.of(mode));
    command.add(page.toUri().toString());
    Path out = work.resolve("chromium.out");
    Path err = work.resolve("chromium.err");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("chromium did not finish within 120 s: " + command);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), "chromium failed: " + command + "\n" + stderr);
    List<String> console = stderr.lines().filter(line -> line.contains(":CONSOLE") || line.contains("Uncaught")).toList();
    return new Browser(Files.readString(out, StandardCharsets.UTF_8), console);
  }
}
