package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.spi.StageKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubActionsTest {
  @TempDir Path dir;

  private static ReleaseResult rejected() {
    return new ReleaseResult(ReleaseStatus.REJECTED, Optional.of("ghcr.example/acme/app"), Optional.of("sha256:" + "a".repeat(64)),
        List.of(), Path.of("/tmp/evidence"),
        List.of(
            stage("build", "jib", StageStatus.PASSED, Optional.empty(), Optional.empty(), 1500, Optional.of("statements/01-build.dsse.json"),
                List.of(), List.of()),
            stage("scan", "trivy", StageStatus.FAILED, Optional.of("2 blocking vulnerabilities, 50%: a,b"), Optional.of(FailureKind.REJECTED), 900,
                Optional.empty(), List.of("CVE-1 CRITICAL pkg 1.0 (fixed in 1.1)"), List.of("old DB")),
            stage("push", "push", StageStatus.SKIPPED, Optional.of("not run: stage 'scan' rejected the release"), Optional.empty(), 0,
                Optional.empty(), List.of(), List.of())),
        List.of(), Optional.empty());
  }

  private static StageEntry stage(String name, String type, StageStatus status, Optional<String> reason, Optional<FailureKind> failure,
      long durationMs, Optional<String> statement, List<String> details, List<String> warnings) {
    return new StageEntry(name, type, StageKind.GATE, status, reason, failure, statement.map(path -> Instant.EPOCH), durationMs,
        statement.map(path -> "https://example.test/v1"), statement, statement.map(path -> "0".repeat(64)), List.of(), Json.object(), List.of(),
        details, warnings);
  }

  @Test
  void outputsSummaryAndAnnotations() throws Exception {
    Path outputs = dir.resolve("out");
    Path summary = dir.resolve("summary.md");
    StringWriter err = new StringWriter();
    new GitHubActions(Map.of("GITHUB_ACTIONS", "true", "GITHUB_OUTPUT", outputs.toString(), "GITHUB_STEP_SUMMARY", summary.toString()),
        new PrintWriter(err, true)).report(rejected());

    String written = Files.readString(outputs);
    assertTrue(written.startsWith("status=rejected\ndigest=sha256:" + "a".repeat(64) + "\ntags=\nevidence=/tmp/evidence\n"), written);
    String md = Files.readString(summary);
    assertTrue(md.contains("## releasegate: REJECTED"), md);
    assertTrue(md.contains("| scan | trivy | ❌ rejected | 0.9 s |"), md);
    assertTrue(md.contains("| push | push | ⏭ skipped | 0.0 s |"), md);
    assertTrue(md.contains("### Blocking: scan"), md);
    assertTrue(md.contains("- CVE-1 CRITICAL pkg 1.0 (fixed in 1.1)"), md);
    assertTrue(err.toString().contains("::error title=releasegate%3A stage scan rejected::2 blocking vulnerabilities, 50%25: a,b%0ACVE-1 CRITICAL pkg 1.0 (fixed in 1.1)\n"),
        err.toString());
    assertTrue(err.toString().contains("::warning title=releasegate%3A stage scan::old DB"), err.toString());
  }

  @Test
  void multiLineValuesUseTheDelimiterForm() {
    String output = GitHubActions.output("tags", "1.0.0\nabc1234");
    String[] lines = output.split("\n");
    assertEquals(4, lines.length, output);
    assertTrue(lines[0].startsWith("tags<<ghadelimiter_"), output);
    assertEquals("1.0.0", lines[1]);
    assertEquals("abc1234", lines[2]);
    assertEquals(lines[0].substring("tags<<".length()), lines[3]);
  }

  @Test
  void nothingOutsideGitHubActions() {
    StringWriter err = new StringWriter();
    GitHubActions github = new GitHubActions(Map.of("GITHUB_OUTPUT", dir.resolve("x").toString()), new PrintWriter(err, true));
    github.report(rejected());
    assertEquals("", err.toString());
    assertTrue(Files.notExists(dir.resolve("x")));
  }
}
