package dev.releasegate.cli;

import dev.releasegate.api.EvidencePolicy;
import dev.releasegate.api.EvidenceReport;
import dev.releasegate.api.InvalidInputException;
import dev.releasegate.api.ReleaseStatus;
import dev.releasegate.api.Releasegate;
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

@Command(name = "verify-evidence", mixinStandardHelpOptions = true,
    description = {
      "Verify evidence bundles offline. Exit 0 only when every bundle is authentic AND released;",
      "an authentic bundle of a rejected release exits 1 and says so."
    })
final class VerifyEvidenceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "1..*", description = "Evidence bundle folder(s).")
  List<Path> bundles;

  @Mixin TrustOptions trust;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "YAML policy: requirePassed: [stage or type, …], allowDirty: true|false (default false).")
  Path policyFile;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean keyless = trust.keyless();
    EvidencePolicy policy = policyFile == null ? EvidencePolicy.NONE : Releasegate.readPolicy(policyFile);
    int worst = Main.RELEASED;
    for (Path bundle : bundles) {
      int code;
      try {
        code = report(keyless
            ? Releasegate.verifyEvidenceKeyless(bundle, trust.certificateIdentity, trust.oidcIssuer, trust.trustedRoot, policy)
            : Releasegate.verifyEvidence(bundle, trust.key, policy), out);
      } catch (InvalidInputException e) {
        if (bundles.size() == 1) {
          throw e;
        }
        err.println(bundle + ": " + e.getMessage());
        code = Main.INVALID_INPUT;
      }
      worst = Math.max(worst, code);
    }
    out.flush();
    return worst;
  }

  private static int report(EvidenceReport report, PrintWriter out) {
    String subject = report.image().or(report::commit).orElse("?");
    String status = report.status().map(ReleaseStatus::id).orElse("unknown");
    if (!report.authentic()) {
      out.println(report.bundle() + ": NOT VERIFIED (" + report.problems().size() + " problem"
          + (report.problems().size() == 1 ? "" : "s") + ")");
      report.problems().forEach(problem -> out.println("  " + problem));
      return Main.REJECTED;
    }
    if (!report.accepted()) {
      out.println(report.bundle() + ": authentic, but not accepted: release " + status + " of " + subject
          + report.reason().map(reason -> " (" + reason + ")").orElse(""));
      report.policyViolations().forEach(violation -> out.println("  " + violation));
      return Main.REJECTED;
    }
    out.println(report.bundle() + ": verified: released " + subject);
    return Main.RELEASED;
  }
}
