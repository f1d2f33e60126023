package dev.releasegate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.RemoteEvidence;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify-evidence", mixinStandardHelpOptions = true, header = "Verify evidence bundles, offline or from the registry.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every bundle authentic, released and meeting the policy",
      "1:a bundle is not authentic, not released, or fails the policy; no evidence",
      "2:invalid input: not a bundle, a file over its size bound, a bad policy or key",
      "3:registry unreachable"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password"},

    description = {
      "Verify evidence bundles: folders offline, or the bundles attached to an image in its registry",
      "(REPOSITORY@sha256:…). Exit 0 only when every bundle is authentic AND released; an authentic",
      "bundle of a rejected release exits 1 and says so, as does an image with no evidence."
    })
final class VerifyEvidenceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR|REF@DIGEST", arity = "1..*",
      description = "Evidence bundle folder(s), or image(s) whose attached evidence to fetch and verify.")
  List<String> bundles;

  @Mixin TrustOptions trust;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "YAML policy: requirePassed (stage types), allowDirty, requireIsolation, maxScanDbAgeHours, minWaiverValidityDays.")
  Path policyFile;

  @Option(names = "--insecure-registry", description = "Plain HTTP to the registry, for loopback registries.")
  boolean insecureRegistry;

  @Option(names = "--json", description = "Print one JSON object with every bundle's result on stdout instead of text.")
  boolean json;

  /** One entry per bundle checked, for --json. */
  private final ArrayNode results = Json.array();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    trust.keyless();
    EvidencePolicy policy = policyFile == null ? EvidencePolicy.NONE : Releasegate.readPolicy(policyFile);
    int worst = Main.RELEASED;
    for (String bundle : bundles) {
      int code;
      try {
        code = EvidenceSource.isImage(bundle) ? verifyAttached(bundle, policy, out, err) : verify(Path.of(bundle), policy, out);
      } catch (InvalidInputException e) {
        if (bundles.size() == 1) {
          throw e;
        }
        err.println(bundle + ": " + Advice.message(e));
        results.addObject().put("source", bundle).put("verified", false).put("error", Advice.message(e));
        code = Main.INVALID_INPUT;
      }
      worst = Math.max(worst, code);
    }
    if (json) {
      ObjectNode node = Json.object().put("verified", worst == Main.RELEASED);
      node.set("bundles", results);
      JsonOutput.print(out, node);
    }
    out.flush();
    return worst;
  }

  private int verify(Path bundle, EvidencePolicy policy, PrintWriter out) {
    out = json ? new PrintWriter(java.io.Writer.nullWriter()) : out;
    return report(bundle.toString(), verifyFolder(bundle, policy), out);
  }

  private EvidenceReport verifyFolder(Path bundle, EvidencePolicy policy) {
    return Releasegate.verifyEvidence(bundle, trust.trust(), policy);
  }

  /** Every evidence artifact attached to the image must verify, and be about that very digest. */
  private int verifyAttached(String reference, EvidencePolicy policy, PrintWriter out, PrintWriter err) {
    trust.keyless();
    out = json ? new PrintWriter(java.io.Writer.nullWriter()) : out;
    try (RemoteEvidence evidence = Releasegate.fetchEvidence(reference, insecureRegistry, System.getenv(), err::println)) {
      if (evidence.none()) {
        results.addObject().put("source", reference).put("verified", false).put("error", "no evidence for " + evidence.digest() + " in the registry");
        out.println(reference + ": NOT VERIFIED: no evidence for " + evidence.digest() + " in the registry");
        return Main.REJECTED;
      }
      int worst = Main.RELEASED;
      for (String problem : evidence.unreadable()) {
        results.addObject().put("source", reference).put("verified", false).put("error", problem);
        out.println(reference + ": NOT VERIFIED: " + problem);
        worst = Main.REJECTED;
      }
      for (RemoteEvidence.Bundle bundle : evidence.bundles()) {
        EvidenceReport report = Releasegate.requireImage(verifyFolder(bundle.folder(), policy), evidence.digest());
        worst = Math.max(worst, report(evidence.image() + " (evidence " + bundle.artifact() + ")", report, out));
      }
      return worst;
    }
  }

  private int report(String source, EvidenceReport report, PrintWriter out) {
    ObjectNode result = results.addObject().put("source", source).put("verified", report.accepted()).put("authentic", report.authentic());
    result.put("status", report.status().map(ReleaseStatus::id).orElse(null));
    result.put("image", report.image().orElse(null));
    result.put("commit", report.commit().orElse(null));
    report.reason().ifPresent(reason -> result.put("reason", reason));
    report.problems().forEach(result.putArray("problems")::add);
    report.policyViolations().forEach(result.putArray("policyViolations")::add);
    String subject = report.image().or(report::commit).orElse("?");
    String status = report.status().map(ReleaseStatus::id).orElse("unknown");
    if (!report.authentic()) {
      out.println(source + ": NOT VERIFIED (" + report.problems().size() + " problem"
          + (report.problems().size() == 1 ? "" : "s") + ")");
      report.problems().forEach(problem -> out.println("  " + problem));
      return Main.REJECTED;
    }
    if (!report.accepted()) {
      out.println(source + ": authentic, but not accepted: release " + status + " of " + subject
          + report.reason().map(reason -> " (" + reason + ")").orElse(""));
      report.policyViolations().forEach(violation -> out.println("  " + violation));
      return Main.REJECTED;
    }
    out.println(source + ": verified: released " + subject);
    return Main.RELEASED;
  }
}
