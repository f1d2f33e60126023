package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.BoundedFiles;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.Verdict;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
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

  static ReleaseReport.Section of(EvidenceView view) {
    Path bundle = view.root();
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    StageCheck.Status tone = StageCheck.Status.PASSED;
    try {
      JsonNode statement = Json.parse(DsseEnvelope.parse(BoundedFiles.read(bundle.resolve(Verdict.STATEMENT_PATH), EvidenceLayout.MAX_STATEMENT_BYTES))
          .payload());
      JsonNode predicate = statement.path("predicate");
      String result = predicate.path("verificationResult").asText("?");
      tone = result.equals("PASSED") ? StageCheck.Status.PASSED : StageCheck.Status.FAILED;
      facts.add(new Fact("Verdict", result + " (" + Verdict.PREDICATE_TYPE + ")"));
      facts.add(new Fact("Time verified", predicate.path("timeVerified").asText("?")));
      facts.add(new Fact("Resource", predicate.path("resourceUri").asText("(none: no image)")));
      facts.add(new Fact("Policy", predicate.at("/policy/uri").asText("?") + ", sha256 " + predicate.at("/policy/digest/sha256").asText("?")));
      facts.add(new Fact("Input attestations", predicate.path("inputAttestations").size() + " statements, each by its sha256"));
      facts.add(new Fact("Verdict envelope", "sha256 " + Digests.sha256Hex(bundle.resolve(Verdict.STATEMENT_PATH))));
      blocks.add(inputs(predicate.path("inputAttestations"), view.stages()));
    } catch (IOException | RuntimeException e) {
      tone = StageCheck.Status.FAILED;
      facts.add(new Fact("Verdict", "unreadable: " + e.getMessage()));
    }
    List<Row> rows = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(bundle)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        rows.add(Row.of(bundle.relativize(file).toString().replace('\\', '/'), Long.toString(Files.size(file)), Digests.sha256Hex(file)));
      }
    } catch (IOException e) {
      rows.add(Row.of(StageCheck.Status.FAILED, "(cannot list the bundle: " + e.getMessage() + ")", "", ""));
    }
    blocks.add(new Table("Files", List.of("path", "bytes", "sha256"), rows, true));
    return new ReleaseReport.Section("Verdict and evidence files", tone, tone == StageCheck.Status.PASSED ? "signed verdict" : "verdict not passed",
        facts, blocks);
  }

  /**
   * The statements the verdict covers, each matched by its digest to the stage whose envelope it is:
   * the link from the verdict to every decision under it.
   */
  private static Table inputs(JsonNode inputs, List<EvidenceView.StageView> stages) {
    List<Row> rows = new ArrayList<>();
    for (JsonNode input : inputs) {
      String sha256 = input.at("/digest/sha256").asText("");
      String uri = input.path("uri").asText("");
      rows.add(stages.stream()
          .filter(stage -> stage.statementSha256().filter(sha256::equals).isPresent())
          .findFirst()
          .map(stage -> Row.of(stage.name(), uri, "sha256:" + sha256))
          .orElseGet(() -> Row.of(StageCheck.Status.FAILED, "(no stage of this bundle)", uri, "sha256:" + sha256)));
    }
    return new Table("Input attestations", List.of("Stage", "Statement", "sha256"), rows, false);
  }
}
