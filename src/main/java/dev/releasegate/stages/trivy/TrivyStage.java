package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.trivy.Waivers.Waiver;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs trivy on the image digest (or its SBOM), reads the JSON report strictly, applies the policy and
 * records report, SARIF and decision. Anything that keeps it from reading a trustworthy report about
 * this digest fails the stage; it never passes on a scan it could not read.
 *
 * <p>Running trivy is {@link TrivyProcess}'s job, reading what it wrote {@link TrivyOutput}'s and the
 * statement {@link VulnPredicate}'s; this class applies the policy and keeps the evidence.
 */
final class TrivyStage implements Stage {
  /** Blocking findings listed one per line in the stage's details. */
  static final int MAX_DETAILS = 10;
  /** Blocking findings named in the one-line summary. */
  static final int MAX_SUMMARY = 5;

  private final TrivyOptions options;

  TrivyStage(TrivyOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    // Warnings in the order they arise: trivy's environment, the target, the report, the scanner, the gate.
    List<String> warnings = new ArrayList<>();
    try {
      // Invalid input first: a bad waivers file is the user's to fix, whatever trivy would say.
      Optional<ScanWaivers> waivers = ScanWaivers.read(context.projectDirectory(), options.waivers());
      TrivyProcess trivy = TrivyProcess.prepare(context, options, warnings);
      ScanTarget target = ScanTarget.of(context, image, options.sbomMode(), warnings);
      TrivyProcess.Run run = trivy.scan(context, target);
      TrivyOutput scan = TrivyOutput.read(context, target, run, options.maxDbAgeHours(), warnings);
      Gate gate = gate(context, scan.report(), waivers, warnings);
      List<Artifact> evidence = evidence(context, scan, gate, waivers);
      String summary = summary(gate);
      ObjectNode predicate = new VulnPredicate(context, options, waivers).of(scan, gate, summary, evidence);
      return result(context, gate, summary, warnings).predicate(predicate).build();
    } catch (IOException e) {
      throw new EnvironmentException("trivy stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  /** Applies failOn, ignoreUnfixed and the waivers valid today (UTC); warns of expired waivers and of what the gate ignores. */
  private Gate gate(StageContext context, TrivyReport report, Optional<ScanWaivers> waivers, List<String> warnings) {
    LocalDate today = LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC);
    List<Waiver> applicable = waivers.map(ScanWaivers::waivers).orElse(List.of());
    Gate gate = Gate.evaluate(report.findings(), EnumSet.copyOf(options.failOn()), options.ignoreUnfixed(), applicable, today);
    for (Waiver expired : gate.expiredWaivers()) {
      warnings.add("waiver for " + expired.label() + " expired on " + expired.expires() + "; it no longer applies");
    }
    if (report.secrets() + report.misconfigurations() > 0) {
      warnings.add("trivy also reported " + report.secrets() + " secret(s) and " + report.misconfigurations()
          + " misconfiguration(s); this gate decides on vulnerabilities only");
    }
    return gate;
  }

  /** Writes the SARIF and the waivers applied; lists the evidence files in the order the statement names them. */
  private static List<Artifact> evidence(StageContext context, TrivyOutput scan, Gate gate, Optional<ScanWaivers> waivers)
      throws IOException {
    Artifact sarif = context.artifacts().write("trivy.sarif",
        Json.pretty(Sarif.build(scan.report(), gate, scan.target().image(), scan.version().version())));
    List<Artifact> evidence = new ArrayList<>();
    evidence.add(context.artifacts().describe(scan.run().report()));
    evidence.add(sarif);
    evidence.add(context.artifacts().describe(scan.run().log()));
    evidence.add(scan.versionArtifact());
    if (waivers.isPresent()) {
      evidence.add(context.artifacts().write("waivers.yaml", waivers.get().content()));
    }
    return evidence;
  }

  private static String summary(Gate gate) {
    List<Finding> blocking = gate.blocking();
    String policy = "(failOn " + gate.failOnText() + ")";
    if (blocking.isEmpty()) {
      return "no blocking vulnerabilities " + policy + "; found: " + Gate.countsText(gate.found())
          + "; after waivers: " + Gate.countsText(gate.remaining());
    }
    String named = blocking.stream().limit(MAX_SUMMARY).map(finding -> finding.id() + " " + finding.pkgName())
        .collect(Collectors.joining(", "));
    return blocking.size() + " blocking " + (blocking.size() == 1 ? "vulnerability " : "vulnerabilities ") + policy + ": "
        + named + (blocking.size() > MAX_SUMMARY ? ", +" + (blocking.size() - MAX_SUMMARY) + " more" : "");
  }

  /** The decision with the first blocking findings as details; the report has them all. */
  private static StageResult.Builder result(StageContext context, Gate gate, String summary, List<String> warnings) {
    StageResult.Builder builder = gate.passed() ? StageResult.passed(summary) : StageResult.rejected(summary);
    List<Finding> blocking = gate.blocking();
    blocking.stream().limit(MAX_DETAILS).forEach(finding -> builder.detail(finding.describe()));
    if (blocking.size() > MAX_DETAILS) {
      builder.detail("and " + (blocking.size() - MAX_DETAILS) + " more blocking findings in " + TrivyOutput.shownReport(context));
    }
    warnings.forEach(builder::warning);
    return builder;
  }
}
