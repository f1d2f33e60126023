package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.BoundedFiles;
import dev.releasegate.evidence.BundleLayout;
import dev.releasegate.evidence.DsseEnvelope;
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

  static ReleaseReport.Section of(BundleView view) {
    Path bundle = view.root();
    List<ReleaseReport.Fact> facts = new ArrayList<>();
    List<ReleaseReport.Block> blocks = new ArrayList<>();
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
      blocks.add(inputs(predicate.path("inputAttestations"), view.stages()));
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
    blocks.add(new ReleaseReport.Table("Files", List.of("path", "bytes", "sha256"), rows, true));
    return new ReleaseReport.Section("Verdict and evidence files", tone, tone == Check.Status.PASSED ? "signed verdict" : "verdict not passed",
        facts, blocks);
  }

  /**
   * The statements the verdict covers, each matched by its digest to the stage whose envelope it is:
   * the link from the verdict to every decision under it.
   */
  private static ReleaseReport.Table inputs(JsonNode inputs, List<BundleView.StageView> stages) {
    List<ReleaseReport.Row> rows = new ArrayList<>();
    for (JsonNode input : inputs) {
      String sha256 = input.at("/digest/sha256").asText("");
      String uri = input.path("uri").asText("");
      rows.add(stages.stream()
          .filter(stage -> stage.statementSha256().filter(sha256::equals).isPresent())
          .findFirst()
          .map(stage -> ReleaseReport.Row.of(stage.name(), uri, "sha256:" + sha256))
          .orElseGet(() -> ReleaseReport.Row.of(Check.Status.FAILED, "(no stage of this bundle)", uri, "sha256:" + sha256)));
    }
    return new ReleaseReport.Table("Input attestations", List.of("Stage", "Statement", "sha256"), rows, false);
  }
}
