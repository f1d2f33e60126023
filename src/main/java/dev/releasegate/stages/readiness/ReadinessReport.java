package dev.releasegate.stages.readiness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.waivers.Waiver;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The gate's decision: each evaluation weighed by its check's severity and the active waivers, and
 * everything a reader needs to see it: the table, the summary, the statement's checks.
 *
 * <p>A violated error check fails the release unless an unexpired waiver names it; a violated warn
 * check only warns. An expired waiver no longer applies, and is reported.
 */
final class ReadinessReport {
  /** Findings of one check shown in its one-line detail; the statement keeps them all. */
  static final int MAX_FINDINGS_SHOWN = 5;

  /** What a check means for this release. */
  enum Status {
    PASS("pass"),
    FAIL("fail"),
    WARN("warn"),
    NOT_APPLICABLE("n-a"),
    WAIVED("waived");

    private final String id;

    Status(String id) {
      this.id = id;
    }

    String id() {
      return id;
    }
  }

  /** One check's outcome, with the waiver that turned a violation into {@link Status#WAIVED}. */
  record Result(Evaluation evaluation, Status status, Optional<Waiver> waiver) {
    LintRule check() {
      return evaluation.check();
    }
  }

  private final List<Result> results;
  private final Map<Waiver, Boolean> activeUsed;
  private final List<Waiver> expired;

  private ReadinessReport(List<Result> results, Map<Waiver, Boolean> activeUsed, List<Waiver> expired) {
    this.results = List.copyOf(results);
    this.activeUsed = activeUsed;
    this.expired = List.copyOf(expired);
  }

  /**
   * Refuses waivers that name no check: a misspelt id would waive nothing while its author believes
   * the finding is accepted.
   */
  static void requireKnownIds(List<Waiver> waivers, String file) {
    List<String> problems = new ArrayList<>();
    for (Waiver waiver : waivers) {
      if (LintRule.byId(waiver.id()).isEmpty()) {
        problems.add(file + ":" + waiver.line() + ": waiver " + waiver.id() + ": no readiness check has this id (they are "
            + LintRule.values()[0].id() + " to " + LintRule.values()[LintRule.values().length - 1].id() + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
  }

  static ReadinessReport decide(List<Evaluation> evaluations, List<Waiver> waivers, LocalDate today) {
    Map<Waiver, Boolean> active = new LinkedHashMap<>();
    List<Waiver> expired = new ArrayList<>();
    for (Waiver waiver : waivers) {
      if (waiver.expiredOn(today)) {
        expired.add(waiver);
      } else {
        active.put(waiver, false);
      }
    }
    List<Result> results = new ArrayList<>();
    for (Evaluation evaluation : evaluations) {
      switch (evaluation.verdict()) {
        case OK -> results.add(new Result(evaluation, Status.PASS, Optional.empty()));
        case NOT_APPLICABLE -> results.add(new Result(evaluation, Status.NOT_APPLICABLE, Optional.empty()));
        case VIOLATED -> {
          Optional<Waiver> waiver = active.keySet().stream()
              .filter(candidate -> candidate.id().equals(evaluation.check().id()))
              .findFirst();
          waiver.ifPresent(used -> active.put(used, true));
          Status status = waiver.isPresent() ? Status.WAIVED
              : evaluation.check().severity() == LintRule.Severity.ERROR ? Status.FAIL : Status.WARN;
          results.add(new Result(evaluation, status, waiver));
        }
        default -> throw new IllegalStateException("unknown verdict " + evaluation.verdict());
      }
    }
    return new ReadinessReport(results, active, expired);
  }

  boolean passed() {
    return failed().isEmpty();
  }

  List<Result> results() {
    return results;
  }

  List<Result> failed() {
    return with(Status.FAIL);
  }

  List<Result> warned() {
    return with(Status.WARN);
  }

  List<Waiver> expiredWaivers() {
    return expired;
  }

  /** One line: the decision and the checks that made it. */
  String summary() {
    List<Result> failed = failed();
    if (failed.isEmpty()) {
      return results.size() + " readiness checks: " + counts();
    }
    return failed.size() + (failed.size() == 1 ? " readiness check failed: " : " readiness checks failed: ")
        + failed.stream().map(result -> result.check().id() + " " + result.evaluation().measured()).collect(Collectors.joining("; "));
  }

  /** One line per failed check: what, why and the fix. */
  List<String> details() {
    return failed().stream().map(ReadinessReport::line).toList();
  }

  /** One line per warning check, then one per expired waiver. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>(warned().stream().map(ReadinessReport::line).toList());
    for (Waiver waiver : expired) {
      warnings.add("waiver for " + waiver.id() + " expired on " + waiver.expires() + "; it no longer applies");
    }
    return warnings;
  }

  /** {@code 9 pass, 1 warn, 2 n-a}, statuses that occur only. */
  String counts() {
    return tally().entrySet().stream()
        .filter(entry -> entry.getValue() > 0)
        .map(entry -> entry.getValue() + " " + entry.getKey().id())
        .collect(Collectors.joining(", "));
  }

  /** The human table: one row per check, and the fix under every row that did not pass. */
  List<String> table() {
    int seedWidth = Arrays.stream(LintRule.values()).mapToInt(check -> check.seed().length()).max().orElse(10);
    String format = "%-7s %-11s %-9s %-" + seedWidth + "s  %s";
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, format, "RESULT", "ID", "SEVERITY", "SEED", "MEASURED").stripTrailing());
    for (Result result : results) {
      LintRule check = result.check();
      lines.add(String.format(Locale.ROOT, format, result.status().id(), check.id(), check.severity().id(), check.seed(),
          result.evaluation().measured()));
      if (result.status() == Status.FAIL || result.status() == Status.WARN) {
        result.evaluation().findings().stream().limit(MAX_FINDINGS_SHOWN).forEach(finding -> lines.add("        - " + finding));
        if (result.evaluation().findings().size() > MAX_FINDINGS_SHOWN) {
          lines.add("        - and " + (result.evaluation().findings().size() - MAX_FINDINGS_SHOWN) + " more in the statement");
        }
        lines.add("        fix: " + check.fix());
      }
      result.waiver().ifPresent(waiver ->
          lines.add("        waived until " + waiver.expires() + ": " + waiver.reason()));
    }
    return lines;
  }

  /** The statement's {@code checks}: every check, in order, with result, severity, seed, fix and measured value. */
  ArrayNode checksJson() {
    ArrayNode checks = Json.array();
    for (Result result : results) {
      LintRule check = result.check();
      ObjectNode node = checks.addObject();
      node.put("id", check.id());
      node.put("check", check.title());
      node.put("seed", check.seed());
      node.put("severity", check.severity().id());
      node.put("result", result.status().id());
      node.put("measured", result.evaluation().measured());
      ArrayNode findings = node.putArray("findings");
      result.evaluation().findings().forEach(findings::add);
      node.put("fix", check.fix());
      result.waiver().ifPresent(waiver -> node.set("waiver", waiver.toJson(Optional.empty())));
    }
    return checks;
  }

  /** Counts per status, every status present. */
  ObjectNode summaryJson() {
    ObjectNode node = Json.object();
    tally().forEach((status, count) -> node.put(status.id(), count));
    return node;
  }

  /** Applied, unused and expired waivers. */
  ObjectNode waiversJson() {
    ObjectNode node = Json.object();
    ArrayNode applied = node.putArray("applied");
    ArrayNode unused = node.putArray("unused");
    activeUsed.forEach((waiver, used) -> (used ? applied : unused).add(waiver.toJson(Optional.empty())));
    ArrayNode expiredNode = node.putArray("expired");
    expired.forEach(waiver -> expiredNode.add(waiver.toJson(Optional.empty())));
    return node;
  }

  private Map<Status, Long> tally() {
    Map<Status, Long> counts = new EnumMap<>(Status.class);
    for (Status status : Status.values()) {
      counts.put(status, 0L);
    }
    results.forEach(result -> counts.merge(result.status(), 1L, Long::sum));
    return counts;
  }

  private List<Result> with(Status status) {
    return results.stream().filter(result -> result.status() == status).toList();
  }

  private static String line(Result result) {
    LintRule check = result.check();
    List<String> findings = result.evaluation().findings();
    String shown = findings.isEmpty() ? result.evaluation().measured()
        : findings.stream().limit(MAX_FINDINGS_SHOWN).collect(Collectors.joining("; "))
            + (findings.size() > MAX_FINDINGS_SHOWN ? "; and " + (findings.size() - MAX_FINDINGS_SHOWN) + " more" : "");
    return check.id() + " " + check.seed() + ": " + shown + "; fix: " + check.fix();
  }
}
