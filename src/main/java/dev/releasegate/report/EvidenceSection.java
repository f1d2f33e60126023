package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.evidence.BoundedFiles;
import dev.releasegate.evidence.BundleLayout;
import dev.releasegate.evidence.Digests;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.Json;
import dev.releasegate.evidence.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an auditor signs off beyond the stages: the verdict as signed (result, when, the policy and its
 * digest, how many statements it covers) and every file of the bundle with its size and sha256, so
 * that each can be matched against the copy an auditor opens. Shown only for an authentic bundle, whose
 * files all verified.
 */
final class EvidenceSection {
  private EvidenceSection() {}

  static ReleaseReport.Section of(Path bundle) {
    List<ReleaseReport.Fact> facts = new ArrayList<>();
    Check.Status tone = Check.Status.PASSED;
    try {
      JsonNode statement = Json.parse(DsseEnvelope.parse(BoundedFiles.read(bundle.resolve(Verdict.STATEMENT_PATH), BundleLayout.MAX_STATEMENT_BYTES))
          .payload());
      JsonNode predicate = statement.path("predicate");
      String result = predicate.path("verificationResult").asText("?");
      tone = result.equals("PASSED") ? Check.Status.PASSED : Check.Status.FAILED;
      facts.add(new ReleaseReport.Fact("Verdict", result + " (" + Verdict.PREDICATE_TYPE + ")"));
      facts.add(new ReleaseReport.Fact("Time verified", predicate.path("timeVerified").asText("?")));
      facts.add(new ReleaseReport.Fact("Resource", predicate.path("resourceUri").asText("(none: no image)")));
      facts.add(new ReleaseReport.Fact("Policy", predicate.at("/policy/uri").asText("?") + ", sha256 " + predicate.at("/policy/digest/sha256").asText("?")));
      facts.add(new ReleaseReport.Fact("Input attestations", predicate.path("inputAttestations").size() + " statements, each by its sha256"));
      facts.add(new ReleaseReport.Fact("Verdict envelope", "sha256 " + Digests.sha256Hex(bundle.resolve(Verdict.STATEMENT_PATH))));
    } catch (IOException | RuntimeException e) {
      tone = Check.Status.FAILED;
      facts.add(new ReleaseReport.Fact("Verdict", "unreadable: " + e.getMessage()));
    }
    List<ReleaseReport.Row> rows = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(bundle)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        rows.add(ReleaseReport.Row.of(bundle.relativize(file).toString().replace('\\', '/'), Long.toString(Files.size(file)), Digests.sha256Hex(file)));
      }
    } catch (IOException e) {
      rows.add(ReleaseReport.Row.of(Check.Status.FAILED, "(cannot list the bundle: " + e.getMessage() + ")", "", ""));
    }
    return new ReleaseReport.Section("Verdict and evidence files", tone, tone == Check.Status.PASSED ? "signed verdict" : "verdict not passed",
        facts, List.of(new ReleaseReport.Table("Files (" + rows.size() + ")", List.of("path", "bytes", "sha256"), rows, true)));
  }
}
