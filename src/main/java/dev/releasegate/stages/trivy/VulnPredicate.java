package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.StageContext;
import java.util.List;
import java.util.Optional;

/**
 * cosign's vuln predicate: invocation, scanner {uri, version, db, result}, metadata. The result adds
 * what a reader needs to trust the gate: what was scanned, the policy, the counts and the decision.
 */
final class VulnPredicate {
  /** Past this many blocking findings the statement keeps the count only; the report has them all. */
  static final int MAX_RECORDED = 1000;

  private final StageContext context;
  private final TrivyOptions options;
  private final Optional<ScanWaivers> waivers;

  /** For a scan gated by {@code options} and {@code waivers}; the command lines are redacted in {@code context}. */
  VulnPredicate(StageContext context, TrivyOptions options, Optional<ScanWaivers> waivers) {
    this.context = context;
    this.options = options;
    this.waivers = waivers;
  }

  ObjectNode of(TrivyOutput scan, Gate gate, String summary, List<Artifact> evidence) {
    ObjectNode predicate = Json.object();
    invocation(predicate.putObject("invocation"), scan.run().scan());
    ObjectNode scanner = predicate.putObject("scanner");
    scanner.put("uri", "pkg:github/aquasecurity/trivy@" + scan.version().version());
    scanner.put("version", scan.version().version());
    scanner.set("db", scan.db());
    ObjectNode result = scanner.putObject("result");
    scanned(result, scan);
    policy(result.putObject("policy"));
    decision(result, gate, summary, evidence);
    predicate.putObject("metadata")
        .put("scanStartedOn", scan.run().started().toString())
        .put("scanFinishedOn", scan.run().finished().toString());
    return predicate;
  }

  private void invocation(ObjectNode invocation, List<String> scan) {
    ArrayNode parameters = invocation.putArray("parameters");
    scan.forEach(argument -> parameters.add(context.redact(argument)));
    invocation.put("uri", "");
    invocation.put("event_id", context.runId());
    invocation.put("builder.id", "releasegate@" + ToolVersion.get());
  }

  /** What was scanned, and what the report says it is about. */
  private void scanned(ObjectNode result, TrivyOutput scan) {
    result.put("mode", scan.target().subcommand());
    result.put("image", scan.target().image().toString());
    result.put("target", scan.target().target());
    ArrayNode versionArgv = result.putArray("versionCommand");
    scan.run().versionCommand().forEach(argument -> versionArgv.add(context.redact(argument)));
    TrivyReport report = scan.report();
    ObjectNode artifact = result.putObject("artifact");
    artifact.put("name", report.artifactName());
    artifact.put("type", report.artifactType());
    report.repoDigests().forEach(artifact.putArray("repoDigests")::add);
    artifact.put("namesDigest", report.names(scan.target().image().digest()));
    artifact.put("hasResults", report.hasResults());
  }

  private void policy(ObjectNode policy) {
    ArrayNode failOn = policy.putArray("failOn");
    options.failOn().forEach(severity -> failOn.add(severity.name()));
    policy.put("ignoreUnfixed", options.ignoreUnfixed());
    policy.put("maxDbAgeHours", options.maxDbAgeHours());
    if (waivers.isPresent()) {
      policy.putObject("waivers")
          .put("file", waivers.get().name())
          .put("sha256", Digests.sha256Hex(waivers.get().content()));
    } else {
      policy.putNull("waivers");
    }
  }

  private void decision(ObjectNode result, Gate gate, String summary, List<Artifact> evidence) {
    result.set("summary", gate.summaryJson());
    result.putObject("gate")
        .put("decision", gate.passed() ? "passed" : "rejected")
        .put("reason", context.redact(summary))
        .put("blockingCount", gate.blocking().size());
    ArrayNode blocking = result.putArray("blockingFindings");
    gate.blocking().stream().limit(MAX_RECORDED).forEach(finding -> blocking.add(finding.toJson()));
    result.set("waivers", gate.waiversJson());
    ArrayNode files = result.putArray("evidence");
    evidence.forEach(file -> files.add(file.descriptor()));
  }
}
