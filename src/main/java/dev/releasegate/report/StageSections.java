package dev.releasegate.report;

import dev.releasegate.evidence.Statements;
import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.report.ReleaseReport.Section;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Items;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One stage's section: what every stage has (status, duration, predicate type, reason), what its
 * predicate says in detail as the stage's own reader tells it, and what to do about its failed checks.
 */
final class StageSections {
  private StageSections() {}

  static Section of(int position, int count, StageView stage, StageReaders readers) {
    List<Fact> facts = new ArrayList<>();
    facts.add(new Fact("Type", stage.entry().type()));
    facts.add(new Fact("Duration", String.format(Locale.ROOT, "%.1f s", stage.entry().durationMs() / 1000.0)));
    stage.entry().reason().ifPresent(reason -> facts.add(new Fact("Reason", reason)));
    stage.entry().predicateType().ifPresent(type -> facts.add(new Fact("Predicate type", type)));
    stage.entry().statement().ifPresent(statement -> facts.add(new Fact("Statement", statement)));
    stage.statementSha256().ifPresent(sha256 -> facts.add(new Fact("Statement sha256", "sha256:" + sha256)));
    stage.problem().ifPresent(problem -> facts.add(new Fact("Unreadable", problem)));
    List<Block> blocks = new ArrayList<>();
    stage.predicate().ifPresent(predicate -> {
      if (stage.entry().predicateType().filter(Statements.STAGE_ERROR_PREDICATE::equals).isPresent()) {
        facts.add(new Fact("Failure", predicate.path("failure").asText()));
        facts.add(new Fact("Message", predicate.path("message").asText()));
      }
      readers.of(stage).map(reader -> reader.details(predicate)).ifPresent(details -> {
        facts.addAll(details.facts());
        blocks.addAll(details.blocks());
      });
    });
    List<String> todo = StageChecks.of(stage, readers).stream()
        .filter(check -> check.status() == StageCheck.Status.FAILED || check.status() == StageCheck.Status.WARNED)
        .filter(check -> check.fix().isPresent())
        .map(check -> check.name() + ": " + check.fix().get())
        .toList();
    if (!todo.isEmpty()) {
      blocks.add(new Items("What to do", todo));
    }
    if (!stage.entry().artifacts().isEmpty()) {
      blocks.add(new Items("Artifacts", stage.entry().artifacts().stream().map(Artifact::path).toList()));
    }
    String statusText = stage.entry().status().id() + stage.entry().failure().map(kind -> " (" + kind.id() + ")").orElse("");
    return new Section("Stage " + position + "/" + count + ": " + stage.name(), ReleaseReport.tone(stage), statusText, facts, blocks);
  }
}
