package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.report.BundleView.StageView;
import dev.releasegate.report.ReleaseReport.Block;
import dev.releasegate.report.ReleaseReport.Fact;
import dev.releasegate.report.ReleaseReport.Items;
import dev.releasegate.report.ReleaseReport.Row;
import dev.releasegate.report.ReleaseReport.Section;
import dev.releasegate.report.ReleaseReport.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One stage's section: what every stage has (status, duration, predicate type, reason), what its
 * predicate type says in detail, and what to do about its failed checks.
 */
final class StageSections {
  private StageSections() {}

  static Section of(int position, int count, StageView stage) {
    List<Fact> facts = new ArrayList<>();
    facts.add(new Fact("Type", stage.type()));
    facts.add(new Fact("Duration", String.format(Locale.ROOT, "%.1f s", stage.durationMs() / 1000.0)));
    stage.reason().ifPresent(reason -> facts.add(new Fact("Reason", reason)));
    stage.predicateType().ifPresent(type -> facts.add(new Fact("Predicate type", type)));
    stage.statement().ifPresent(statement -> facts.add(new Fact("Statement", statement)));
    stage.statementSha256().ifPresent(sha256 -> facts.add(new Fact("Statement sha256", "sha256:" + sha256)));
    stage.problem().ifPresent(problem -> facts.add(new Fact("Unreadable", problem)));
    List<Block> blocks = new ArrayList<>();
    stage.predicate().ifPresent(predicate -> details(stage, predicate, facts, blocks));
    List<String> todo = StageChecks.of(stage).stream()
        .filter(check -> check.status() == Check.Status.FAILED || check.status() == Check.Status.WARNED)
        .filter(check -> check.fix().isPresent())
        .map(check -> check.name() + ": " + check.fix().get())
        .toList();
    if (!todo.isEmpty()) {
      blocks.add(new Items("What to do", todo));
    }
    if (!stage.artifacts().isEmpty()) {
      blocks.add(new Items("Artifacts", stage.artifacts()));
    }
    String statusText = stage.status() + stage.failure().map(kind -> " (" + kind + ")").orElse("");
    return new Section("Stage " + position + "/" + count + ": " + stage.name(), ReleaseReport.tone(stage), statusText, facts, blocks);
  }

  private static void details(StageView stage, JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    switch (stage.predicateType().orElse("")) {
      case PredicateTypes.TEST -> test(predicate, facts, blocks);
      case PredicateTypes.VULNERABILITIES -> ScanSection.add(predicate, facts, blocks);
      case PredicateTypes.READINESS -> lint(predicate, facts, blocks);
      case PredicateTypes.SMOKE -> smoke(predicate, facts, blocks);
      case PredicateTypes.SBOM -> SbomSection.add(predicate, facts, blocks);
      case PredicateTypes.PROVENANCE -> BuildSection.add(predicate, facts, blocks);
      case PredicateTypes.PUSH -> push(predicate, facts, blocks);
      case PredicateTypes.SIGN -> sign(predicate, facts, blocks);
      case PredicateTypes.VERIFY -> verify(predicate, facts, blocks);
      case PredicateTypes.EXEC -> exec(predicate, facts, blocks);
      case PredicateTypes.STAGE_ERROR -> {
        facts.add(new Fact("Failure", predicate.path("failure").asText()));
        facts.add(new Fact("Message", predicate.path("message").asText()));
      }
      default -> {
        // A plug-in's predicate: its decision is in the status and reason above.
      }
    }
  }

  private static void test(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    JsonNode counts = predicate.path("counts");
    facts.add(new Fact("Result", predicate.path("result").asText()));
    facts.add(new Fact("Tests", counts.path("total").asLong() + " total: " + counts.path("passed").asLong() + " passed, "
        + counts.path("failed").asLong() + " failed, " + counts.path("skipped").asLong() + " skipped"));
    facts.add(new Fact("Reports", counts.path("reports").asLong() + " read, " + counts.path("staleReportsIgnored").asLong()
        + " stale ignored"));
    facts.add(new Fact("Exit code", predicate.path("exitCode").asText("?") + (predicate.path("timedOut").asBoolean() ? " (timed out)" : "")));
    List<String> failed = BundleView.texts(predicate.path("failedTests"));
    if (!failed.isEmpty()) {
      blocks.add(new Items("Failed tests", failed));
    }
    List<String> skipped = BundleView.texts(predicate.path("warnedTests"));
    if (!skipped.isEmpty()) {
      blocks.add(new Items("Skipped tests", skipped));
    }
  }

  private static void lint(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    JsonNode summary = predicate.path("summary");
    List<String> counts = new ArrayList<>();
    summary.fields().forEachRemaining(entry -> counts.add(entry.getValue().asLong() + " " + entry.getKey()));
    facts.add(new Fact("Summary", String.join(", ", counts)));
    facts.add(new Fact("Image", predicate.path("image").path("name").asText() + "@" + predicate.path("image").path("digest").asText()));
    List<Row> rows = new ArrayList<>();
    List<Check> checks = LintChecks.of(predicate);
    int i = 0;
    for (JsonNode check : predicate.path("checks")) {
      String result = check.path("result").asText();
      String fix = result.equals("pass") || result.equals("n-a") ? "" : check.path("fix").asText();
      rows.add(Row.of(checks.get(i++).status(), result, check.path("id").asText(), check.path("check").asText(),
          check.path("seed").asText(), check.path("severity").asText(), LintChecks.message(check), fix));
    }
    List<String> header = List.of("Result", "ID", "Check", "Seed item", "Severity", "Measured", "Fix");
    if (rows.stream().allMatch(row -> row.cells().get(6).isEmpty())) {
      // Every check passed or did not apply: no fix to show.
      header = header.subList(0, 6);
      rows = rows.stream().map(row -> new Row(row.cells().subList(0, 6), row.tone())).toList();
    }
    blocks.add(new Table("Lint checks", header, rows, false));
    waivers(predicate.path("waivers"), blocks);
  }

  private static void smoke(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    JsonNode runtime = predicate.path("runtime");
    facts.add(new Fact("Image", predicate.path("image").asText()));
    facts.add(new Fact("Runtime", runtime.path("name").asText() + " " + runtime.path("version").asText()));
    JsonNode hardening = predicate.path("hardening");
    facts.add(new Fact("Hardening", "readOnly " + hardening.path("readOnly").asText() + ", capDrop " + hardening.path("capDrop").asText()
        + ", noNewPrivileges " + hardening.path("noNewPrivileges").asText() + ", pidsLimit " + hardening.path("pidsLimit").asText()
        + ", memory " + hardening.path("memory").asText() + ", cpus " + hardening.path("cpus").asText()));
    List<String> overrides = BundleView.texts(predicate.path("overrides"));
    if (!overrides.isEmpty()) {
      facts.add(new Fact("Overrides", String.join(", ", overrides)));
    }
    List<Row> rows = new ArrayList<>();
    for (JsonNode check : predicate.path("checks")) {
      String result = check.path("result").asText();
      Check.Status tone = switch (result) {
        case "passed" -> Check.Status.PASSED;
        case "not run" -> Check.Status.SKIPPED;
        default -> Check.Status.FAILED;
      };
      rows.add(Row.of(tone, check.path("name").asText(), result, check.path("expected").asText(), check.path("measured").asText()));
    }
    blocks.add(new Table("Smoke checks", List.of("Check", "Result", "Expected", "Measured"), rows, false));
  }

  private static void push(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    facts.add(new Fact("Repository", predicate.path("repository").asText()));
    facts.add(new Fact("Digest", predicate.path("digest").asText()));
    List<Row> rows = new ArrayList<>();
    predicate.path("tags").forEach(tag -> rows.add(Row.of(tag.path("tag").asText(), tag.path("result").asText())));
    blocks.add(new Table("Tags", List.of("Tag", "Result"), rows, false));
    List<String> conflicts = BundleView.texts(predicate.path("conflicts"));
    if (!conflicts.isEmpty()) {
      blocks.add(new Items("Conflicts", conflicts));
    }
  }

  private static void sign(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    facts.add(new Fact("Key id", predicate.path("keyid").asText()));
    JsonNode signature = predicate.path("signature");
    facts.add(new Fact("Signature", signature.path("tag").asText() + (signature.path("added").asBoolean() ? " (added)" : " (already there)")));
    List<Row> rows = new ArrayList<>();
    predicate.path("attestations").path("statements").forEach(statement -> rows.add(Row.of(statement.path("stage").asText(),
        statement.path("predicateType").asText(), statement.path("layerDigest").asText(),
        statement.path("added").asBoolean() ? "added" : "already there")));
    if (!rows.isEmpty()) {
      blocks.add(new Table("Attestations", List.of("Stage", "Predicate type", "Layer", "Result"), rows, false));
    }
  }

  private static void verify(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    facts.add(new Fact("Key id", predicate.path("keyid").asText()));
    facts.add(new Fact("Signed by", String.join(", ", BundleView.texts(predicate.path("signatures")))));
    blocks.add(new Items("Attested predicate types", BundleView.texts(predicate.path("predicateTypes"))));
    List<Row> rows = new ArrayList<>();
    predicate.path("accepted").forEach(found -> rows.add(Row.of(found.path("predicateType").asText("signature"), found.path("signer").asText(),
        found.path("format").asText(), found.path("location").asText())));
    if (!rows.isEmpty()) {
      blocks.add(new Table("Verified in the registry", List.of("Signature or predicate type", "Signer", "Format", "Found at"), rows, false));
    }
    List<String> failures = BundleView.texts(predicate.path("failures"));
    if (!failures.isEmpty()) {
      blocks.add(new Items("Failures", failures));
    }
    List<String> notes = BundleView.texts(predicate.path("notes"));
    if (!notes.isEmpty()) {
      blocks.add(new Items("Notes", notes));
    }
  }

  private static void exec(JsonNode predicate, List<Fact> facts, List<Block> blocks) {
    facts.add(new Fact("Command", String.join(" ", BundleView.texts(predicate.path("command")))));
    facts.add(new Fact("Exit code", predicate.path("exitCode").asText("?") + (predicate.path("timedOut").asBoolean() ? " (timed out)" : "")));
    List<Row> rows = new ArrayList<>();
    predicate.path("outputs").forEach(output -> rows.add(Row.of(output.path("name").asText(), output.path("digest").path("sha256").asText())));
    if (!rows.isEmpty()) {
      blocks.add(new Table("Outputs", List.of("File", "sha256"), rows, false));
    }
  }

  /** Applied, unused and expired waivers, as the scan and the lint record them. */
  static void waivers(JsonNode waivers, List<Block> blocks) {
    List<Row> rows = new ArrayList<>();
    for (String state : List.of("applied", "unused", "expired")) {
      for (JsonNode waiver : waivers.path(state)) {
        Check.Status tone = state.equals("expired") ? Check.Status.WARNED : Check.Status.PASSED;
        rows.add(Row.of(tone, waiver.path("id").asText(), waiver.path("package").asText(""), state, waiver.path("reason").asText(),
            waiver.path("expires").asText()));
      }
    }
    if (!rows.isEmpty()) {
      blocks.add(new Table("Waivers", List.of("ID", "Package", "State", "Reason", "Expires"), rows, false));
    }
  }
}
