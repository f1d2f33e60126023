package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.cli.Main;
import dev.releasegate.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code releasegate report} in process: output and exit codes as verify-evidence's. */
class ReportCommandTest {
  @TempDir static Path shared;
  static Path signer;
  static Path full;
  static Path rejected;

  @TempDir Path work;

  record Run(int exitCode, String stdout, String stderr) {}

  @BeforeAll
  static void bundles() {
    signer = TestKeys.write(shared, "signer");
    full = Bundles.fullPipeline(shared.resolve("full"), signer);
    rejected = Bundles.testRejected(shared, signer);
  }

  @Test
  void releasedBundleExitsZeroAndPrintsTheReport() {
    Run run = run("report", full.toString(), "--key", TestKeys.pub(signer).toString());

    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.stdout().contains("[ OK ] VERIFIED: released " + Bundles.DEMO_IMAGE), run.stdout());
    assertTrue(run.stdout().contains("Stage 6/9: smoke: PASSED"), run.stdout());
    String keyId = dev.releasegate.sign.PublicKeys.keyId(dev.releasegate.sign.PublicKeys.read(TestKeys.pub(signer)));
    assertTrue(run.stdout().contains("  Verified with      key " + keyId + " (" + TestKeys.pub(signer) + ")\n"),
        "the report says whom its verdict trusted: " + run.stdout());
    assertEquals("", run.stderr());
  }

  @Test
  void aBundleIsReportedKeylesslyWithTheTrustOptionsOfTheVerifyCommands() {
    Path trustedRoot = dev.releasegate.testing.Fixtures.file("sigstore-bundles/trusted_root.public-good.json");
    Run keyless = run("report", full.toString(), "--certificate-identity", "https://github.com/acme/hello/.github/workflows/release.yml@refs/tags/v1",
        "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com", "--trusted-root", trustedRoot.toString());
    assertEquals(1, keyless.exitCode(), "a key-signed bundle is no keyless release: " + keyless);
    assertTrue(keyless.stdout().contains("NOT VERIFIED"), keyless.stdout());

    Run neither = run("report", full.toString());
    assertEquals(2, neither.exitCode(), neither.toString());
    assertTrue(neither.stderr().contains("verify with --key PUB, or keylessly with --certificate-identity"), neither.stderr());
  }

  @Test
  void rejectedBundleExitsOne() {
    Run run = run("report", rejected.toString(), "--key", TestKeys.pub(signer).toString());

    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.stdout().contains("[ !! ] NOT RELEASED: authentic evidence of a rejected release"), run.stdout());
    assertTrue(run.stdout().contains("    - com.acme.GreeterTest#escapes <b>&\"quotes\"\n"), run.stdout());
  }

  @Test
  void wrongKeyExitsOneWithARedBanner() {
    Path other = TestKeys.write(work, "other");

    Run run = run("report", full.toString(), "--key", TestKeys.pub(other).toString());

    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.stdout().startsWith("=".repeat(78) + "\n[ !! ] NOT VERIFIED: the evidence is not authentic"), run.stdout());
  }

  @Test
  void aFolderThatIsNotABundleExitsTwo() {
    Run run = run("report", work.toString(), "--key", TestKeys.pub(signer).toString());

    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("releasegate: " + work + " is not an evidence bundle: it has no bundle.json\n", run.stderr());
    assertEquals("", run.stdout());
  }

  @Test
  void htmlGoesToTheFileAndTheBannerToStdout() throws IOException {
    Path page = work.resolve("report.html");

    Run run = run("report", rejected.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());

    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.stdout().startsWith("[ !! ] NOT RELEASED: "), run.stdout());
    assertTrue(run.stdout().endsWith("report: " + page + " (the bundle's files: " + work.resolve("report-files") + ")\n"), run.stdout());
    String html = Files.readString(page);
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("com.acme.GreeterTest#escapes &lt;b&gt;&amp;&quot;quotes&quot;"));
  }

  @Test
  void theHtmlPageLinksEveryFileOfTheBundleToAByteForByteCopyBesideIt() throws IOException {
    Path page = work.resolve("audit.html");

    Run run = run("report", full.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());

    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.stdout().endsWith("report: " + page + " (the bundle's files: " + work.resolve("audit-files") + ")\n"), run.stdout());
    String html = Files.readString(page);
    Map<String, String> linked = new TreeMap<>();
    Matcher link = Pattern.compile("<a href=\"\\./audit-files/([^\"]+)\">([^<]+)</a>").matcher(html);
    while (link.find()) {
      linked.put(link.group(2), link.group(1));
    }
    List<String> files;
    try (Stream<Path> walk = Files.walk(full)) {
      files = walk.filter(Files::isRegularFile).map(file -> full.relativize(file).toString()).sorted().toList();
    }
    assertEquals(files, List.copyOf(linked.keySet()), "every file of the bundle is listed and linked");
    for (Map.Entry<String, String> file : linked.entrySet()) {
      Path copy = work.resolve("audit-files").resolve(file.getValue());
      String sha256 = Digests.sha256Hex(full.resolve(file.getKey()));
      assertEquals(sha256, Digests.sha256Hex(copy), "the copy of " + file.getKey() + " opens with the bytes the page lists");
      assertTrue(html.contains(">" + file.getKey() + "</a></td><td class=\"short\">" + Files.size(copy) + "</td><td>" + sha256 + "</td>"),
          "its row shows the size and sha256 of the copy: " + file.getKey());
    }
    assertEquals("statements/99-verdict.dsse.json", linked.get("statements/99-verdict.dsse.json"), "copied under its own name");
  }

  @Test
  void theVerdictLinksEachInputAttestationToItsStageByTheEnvelopeDigest() throws IOException {
    Path page = work.resolve("report.html");

    Run run = run("report", full.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());

    assertEquals(0, run.exitCode(), run.toString());
    String html = Files.readString(page);
    String sbom = "sha256:" + Digests.sha256Hex(full.resolve("statements/03-sbom.dsse.json"));
    assertTrue(html.contains("<tr><td class=\"short\">sbom</td><td><a href=\"./report-files/statements/03-sbom.dsse.json\">"
        + "statements/03-sbom.dsse.json</a></td><td><a href=\"#stage-3\">" + sbom + "</a></td></tr>"), html);
    assertTrue(html.contains("<tr><th>Statement sha256</th><td>" + sbom + "</td></tr>"), "no link from a stage to itself");
  }

  @Test
  void aFolderBesideThePageThatNoReportWroteIsLeftAlone() throws IOException {
    Path page = work.resolve("report.html");
    Path mine = Files.createDirectories(work.resolve("report-files")).resolve("notes.txt");
    Files.writeString(mine, "mine");

    Run run = run("report", full.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());

    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("releasegate: " + work.resolve("report-files") + " exists and no report wrote it; move it away or write the page elsewhere\n", run.stderr());
    assertEquals(List.of(mine), Files.list(work.resolve("report-files")).toList());
    assertTrue(Files.notExists(page));
  }

  @Test
  void aSecondReportReplacesTheCopiesOfTheFirst() throws IOException {
    Path page = work.resolve("report.html");
    assertEquals(0, run("report", full.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString()).exitCode());
    Path stray = work.resolve("report-files/stray.json");
    Files.writeString(stray, "{}");

    Run again = run("report", full.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());

    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(Files.notExists(stray));
    assertTrue(Files.isRegularFile(work.resolve("report-files/bundle.json")));
  }

  @Test
  void anUnwritableHtmlFileIsInvalidInput() {
    Path page = work.resolve("missing/folder/report.html");

    Run run = run("report", full.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());

    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.stderr().startsWith("releasegate: cannot write the report to " + page + ": "), run.stderr());
  }

  @Test
  void thePageIsNeverWrittenIntoTheBundle() {
    Path page = rejected.resolve("report.html");

    Run run = run("report", rejected.toString(), "--key", TestKeys.pub(signer).toString(), "--html", page.toString());

    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("releasegate: --html " + page + " is inside the bundle; write the page elsewhere\n", run.stderr());
    assertTrue(Files.notExists(page));
  }

  @Test
  void namesFromABundleCannotWriteToTheTerminal() throws IOException {
    Path copy = work.resolve("copy");
    dev.releasegate.testing.TestRepos.copyTree(full, copy);
    Files.writeString(copy.resolve("statements/evil\u001b[2J\u001b]0;owned\u0007\u202e.json"), "{}");

    Run run = run("verify-evidence", copy.toString(), "--key", TestKeys.pub(signer).toString());

    assertEquals(1, run.exitCode(), run.toString());
    assertTrue(run.stdout().contains("statements/evil\\x1b[2J\\x1b]0;owned\\x07\\u202e.json"), run.stdout());
    assertTrue(run.stdout().chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == 0x202e), run.stdout());
  }

  @Test
  void aHugeFileInABundleIsRefusedBySizeAndTheOtherBundlesAreStillChecked() throws IOException {
    for (String file : java.util.List.of("statements/99-verdict.dsse.json", "bundle.json", "signer.pub")) {
      Path copy = work.resolve("huge-" + file.replace('/', '-'));
      dev.releasegate.testing.TestRepos.copyTree(full, copy);
      try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(copy.resolve(file).toFile(), "rw")) {
        sparse.setLength(3L << 30);
      }
      String bound = file.equals("bundle.json") ? "16777216" : file.equals("signer.pub") ? "65536" : "67108864";
      String expected = copy.resolve(file) + " is 3221225472 bytes; at most " + bound;

      Run batch = run("verify-evidence", copy.toString(), full.toString(), "--key", TestKeys.pub(signer).toString());
      assertEquals(2, batch.exitCode(), batch.toString());
      assertTrue(batch.stderr().contains(copy + ": " + expected), batch.stderr());
      assertTrue(batch.stdout().contains(full + ": verified: released "), "the next bundle was checked: " + batch.stdout());

      Run report = run("report", copy.toString(), "--key", TestKeys.pub(signer).toString());
      assertEquals(2, report.exitCode(), report.toString());
      assertTrue(report.stderr().contains(expected), report.stderr());
    }
  }

  /** Main.run prints through System.out and System.err, which picocli picks up when it starts. */
  private static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      System.out.flush();
      System.err.flush();
      return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
