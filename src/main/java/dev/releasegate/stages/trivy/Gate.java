package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.stages.trivy.Waivers.Waiver;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The scan policy applied to a report's findings: unfixed ones dropped (when asked), then active
 * waivers, then the severities in {@code failOn} decide.
 */
final class Gate {
  private final Set<Severity> failOn;
  private final List<Finding> found;
  private final List<Finding> ignoredUnfixed = new ArrayList<>();
  private final List<Finding> considered = new ArrayList<>();
  private final List<Finding> remaining = new ArrayList<>();
  private final List<Finding> blocking = new ArrayList<>();
  private final Map<Finding, Waiver> waivedBy = new IdentityHashMap<>();
  private final Map<Waiver, Integer> activeMatches = new LinkedHashMap<>();
  private final Map<Waiver, Integer> expiredMatches = new LinkedHashMap<>();

  private Gate(Set<Severity> failOn, List<Finding> found) {
    this.failOn = Set.copyOf(failOn);
    this.found = List.copyOf(found);
  }

  static Gate evaluate(List<Finding> findings, Set<Severity> failOn, boolean ignoreUnfixed, List<Waiver> waivers, LocalDate today) {
    Gate gate = new Gate(failOn, findings);
    for (Waiver waiver : waivers) {
      (waiver.expiredOn(today) ? gate.expiredMatches : gate.activeMatches).put(waiver, 0);
    }
    for (Finding finding : findings) {
      if (ignoreUnfixed && finding.unfixed()) {
        gate.ignoredUnfixed.add(finding);
        continue;
      }
      gate.considered.add(finding);
      gate.expiredMatches.replaceAll((waiver, count) -> waiver.covers(finding) ? count + 1 : count);
      Optional<Waiver> waiver = gate.activeMatches.keySet().stream().filter(active -> active.covers(finding)).findFirst();
      if (waiver.isPresent()) {
        gate.waivedBy.put(finding, waiver.get());
        gate.activeMatches.merge(waiver.get(), 1, Integer::sum);
        continue;
      }
      gate.remaining.add(finding);
      if (failOn.contains(finding.severity())) {
        gate.blocking.add(finding);
      }
    }
    return gate;
  }

  boolean passed() {
    return blocking.isEmpty();
  }

  List<Finding> found() {
    return found;
  }

  List<Finding> blocking() {
    return blocking;
  }

  List<Finding> remaining() {
    return remaining;
  }

  boolean blocks(Severity severity) {
    return failOn.contains(severity);
  }

  boolean ignoredAsUnfixed(Finding finding) {
    return ignoredUnfixed.stream().anyMatch(ignored -> ignored == finding);
  }

  Optional<Waiver> waiverOf(Finding finding) {
    return Optional.ofNullable(waivedBy.get(finding));
  }

  Set<Waiver> expiredWaivers() {
    return expiredMatches.keySet();
  }

  /** {@code CRITICAL, HIGH} in severity order. */
  String failOnText() {
    return failOn.stream().sorted().map(Enum::name).collect(Collectors.joining(", "));
  }

  /** Counts per severity at each step, for the statement. */
  ObjectNode summaryJson() {
    ObjectNode summary = Json.object();
    summary.set("found", counts(found));
    summary.set("ignoredUnfixed", counts(ignoredUnfixed));
    summary.set("beforeWaivers", counts(considered));
    summary.set("waived", counts(waivedBy.keySet()));
    summary.set("afterWaivers", counts(remaining));
    return summary;
  }

  /** Applied (matched at least once), unused and expired waivers, each with its match count. */
  ObjectNode waiversJson() {
    ObjectNode node = Json.object();
    ArrayNode applied = node.putArray("applied");
    ArrayNode unused = node.putArray("unused");
    activeMatches.forEach((waiver, count) ->
        (count > 0 ? applied : unused).add(waiver.toJson().put("matchedFindings", count)));
    ArrayNode expired = node.putArray("expired");
    expiredMatches.forEach((waiver, count) -> expired.add(waiver.toJson().put("wouldMatchFindings", count)));
    return node;
  }

  /** {@code CRITICAL 1, LOW 2}, or {@code none}. */
  static String countsText(Collection<Finding> findings) {
    Map<Severity, Long> counts = tally(findings);
    String text = counts.entrySet().stream()
        .filter(entry -> entry.getValue() > 0)
        .map(entry -> entry.getKey() + " " + entry.getValue())
        .collect(Collectors.joining(", "));
    return text.isEmpty() ? "none" : text;
  }

  private static ObjectNode counts(Collection<Finding> findings) {
    ObjectNode node = Json.object();
    tally(findings).forEach((severity, count) -> node.put(severity.name(), count));
    return node;
  }

  private static Map<Severity, Long> tally(Collection<Finding> findings) {
    Map<Severity, Long> counts = new EnumMap<>(Severity.class);
    for (Severity severity : Severity.values()) {
      counts.put(severity, 0L);
    }
    findings.forEach(finding -> counts.merge(finding.severity(), 1L, Long::sum));
    return counts;
  }
}
