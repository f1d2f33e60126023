package dev.releasegate.cli;

import dev.releasegate.api.Releasegate;
import dev.releasegate.api.RemoteEvidence;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.BoundedFiles;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.report.EvidenceView;
import dev.releasegate.report.HtmlReport;
import dev.releasegate.report.ReleaseReport;
import dev.releasegate.report.ReportFiles;
import dev.releasegate.report.TextReport;
import dev.releasegate.sign.PublicKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true, header = "Render an evidence bundle for an auditor.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:verified and released",
      "1:not authentic, not released, or fails the policy",
      "2:invalid input",
      "3:registry unreachable"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password"},

    description = {
      "Render an evidence bundle for humans: first the result of verifying it (as verify-evidence),",
      "then the release facts and every stage. Text on stdout, or one self-contained HTML page.",
      "The bundle is a folder, or the one attached to an image in its registry (REPOSITORY@sha256:…;",
      "of several, the newest run's). Exit codes as verify-evidence: 0 only when it is authentic and released."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR|REF@DIGEST", description = "The evidence bundle folder, or the image whose attached evidence to report.")
  String source;

  @Mixin TrustOptions trust;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Write a self-contained HTML page to FILE instead of text on stdout, and a copy of every file of an authentic bundle into "
          + "FILE's name with -files (report.html: report-files/), each linked from the page.")
  Path html;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "YAML policy as for verify-evidence: requirePassed (stage types), allowDirty, requireIsolation, maxScanDbAgeHours, minWaiverValidityDays.")
  Path policyFile;

  @Option(names = "--insecure-registry", description = "Plain HTTP to the registry, for loopback registries.")
  boolean insecureRegistry;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    EvidencePolicy policy = policyFile == null ? EvidencePolicy.NONE : Releasegate.readPolicy(policyFile);
    trust.keyless();
    if (!EvidenceSource.isImage(source)) {
      return render(Path.of(source), verify(Path.of(source), policy), out);
    }
    try (RemoteEvidence evidence = Releasegate.fetchEvidence(source, insecureRegistry, System.getenv(), spec.commandLine().getErr()::println)) {
      evidence.unreadable().forEach(problem -> out.println(source + ": NOT VERIFIED: " + problem));
      if (evidence.bundles().isEmpty()) {
        if (evidence.none()) {
          out.println(source + ": NOT VERIFIED: no evidence for " + evidence.digest() + " in the registry");
        }
        out.flush();
        return Main.REJECTED;
      }
      Path bundle = newest(evidence.bundles());
      int code = render(bundle, Releasegate.requireImage(verify(bundle, policy), evidence.digest()), out);
      return evidence.unreadable().isEmpty() ? code : Main.REJECTED;
    }
  }

  /** With the key, or keylessly offline for the identity and issuer: a keyless CI release is reported like any other. */
  private EvidenceReport verify(Path bundle, EvidencePolicy policy) {
    return Releasegate.verifyEvidence(bundle, trust.trust(), policy);
  }

  /** Whom the verification trusted, as the auditor gave it: what the report's verdict rests on. */
  private String trusted() {
    return trust.keyless()
        ? "keyless: " + trust.identity() + ", trusted root " + trust.trustedRoot
        : "key " + PublicKeys.keyId(PublicKeys.read(trust.key)) + " (" + trust.key + ")";
  }

  /** The bundle of the run that started last; what its index claims is only used to choose. */
  private static Path newest(List<RemoteEvidence.Bundle> bundles) {
    return bundles.stream()
        .max(Comparator.comparing(bundle -> startedAt(bundle.folder())))
        .orElseThrow()
        .folder();
  }

  private static String startedAt(Path bundle) {
    try {
      return Json.parse(BoundedFiles.read(bundle.resolve(EvidenceLayout.INDEX), EvidenceLayout.MAX_INDEX_BYTES)).path("startedAt").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  private int render(Path bundle, EvidenceReport verification, PrintWriter out) {
    // Verification comes first: the report shows its result before anything the files claim.
    ReleaseReport report = ReleaseReport.of(EvidenceView.read(bundle), verification, Optional.of(trusted()), Releasegate.stageReaders());
    if (html == null) {
      out.print(TextReport.render(report));
    } else {
      if (html.toAbsolutePath().normalize().startsWith(bundle.toAbsolutePath().normalize())) {
        // An unsigned file in the bundle would make every later verification of it fail.
        throw new InvalidInputException("--html " + html + " is inside the bundle; write the page elsewhere");
      }
      try {
        if (verification.authentic()) {
          // Only an authentic bundle's files are listed, so only they are copied for opening.
          report = report.withLinks(ReportFiles.write(bundle, html));
        }
        Files.write(html, HtmlReport.bytes(report));
      } catch (IOException e) {
        throw new InvalidInputException("cannot write the report to " + html + ": " + e.getMessage(), e);
      }
      out.print(TextReport.banner(report));
      out.println("report: " + html + (verification.authentic() ? " (the bundle's files: " + ReportFiles.folderOf(html) + ")" : ""));
    }
    out.flush();
    return verification.accepted() ? Main.RELEASED : Main.REJECTED;
  }
}
