package dev.releasegate.report;

import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code report} command shows, independent of how: the verification banner, the release
 * facts and one section per stage. {@link TextReport} and {@link HtmlReport} render the same content.
 * Every string in it may come from the bundle, so renderers escape all of them.
 *
 * @param links values that lead somewhere, each to its address: a statement's {@code sha256:…} to
 *     the section of the stage it belongs to ({@code #stage-N}), and, once {@link ReportFiles} has
 *     copied them beside the page, each file of the bundle to its copy. Only a value that is exactly
 *     a key becomes a link; the addresses are made here, never taken from the bundle.
 */
public record ReleaseReport(String bundle, Banner banner, List<Fact> facts, List<Section> sections, List<String> readProblems,
    Map<String, String> links) {

  /** Problems shown in the banner; the rest are counted. */
  static final int MAX_BANNER_LINES = 50;

  public ReleaseReport {
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(banner, "banner");
    facts = List.copyOf(facts);
    sections = List.copyOf(sections);
    readProblems = List.copyOf(readProblems);
    links = Map.copyOf(links);
  }

  /** This report with {@code more} links besides its own. */
  public ReleaseReport withLinks(Map<String, String> more) {
    Map<String, String> all = new HashMap<>(links);
    all.putAll(more);
    return new ReleaseReport(bundle, banner, facts, sections, readProblems, all);
  }

  /**
   * The verification outcome: green only for an authentic bundle of a released run that meets the
   * policy.
   */
  public record Banner(boolean accepted, String title, List<String> lines) {
    public Banner {
      lines = List.copyOf(lines);
    }
  }

  /**
   * One stage.
   *
   * @param status how the stage came out, the tone of its heading
   * @param statusText what the heading says, e.g. {@code failed (rejected)}
   */
  public record Section(String title, StageCheck.Status status, String statusText, List<Fact> facts, List<Block> blocks) {
    public Section {
      facts = List.copyOf(facts);
      blocks = List.copyOf(blocks);
    }
  }

  /**
   * The report of {@code view}, under the outcome of verifying the same bundle. A bundle that is not
   * authentic shows its banner and nothing else: whatever its files claim was not signed. Each stage's
   * details are its type's, as {@code readers} tell them; {@code verifiedWith} says whom the verification
   * trusted: a key id, or an identity and issuer.
   */
  public static ReleaseReport of(EvidenceView view, EvidenceReport verification, Optional<String> verifiedWith, StageReaders readers) {
    if (!verification.authentic()) {
      return new ReleaseReport(view.root().toString(), banner(view, verification), List.of(), List.of(), List.of(), Map.of());
    }
    List<Section> sections = new ArrayList<>();
    Map<String, String> links = new HashMap<>();
    for (int i = 0; i < view.stages().size(); i++) {
      StageView stage = view.stages().get(i);
      sections.add(StageSections.of(i + 1, view.stages().size(), stage, readers));
      String anchor = "#" + stageAnchor(i + 1);
      stage.statementSha256().ifPresent(sha256 -> links.put("sha256:" + sha256, anchor));
    }
    sections.add(EvidenceSection.of(view));
    List<Fact> facts = new ArrayList<>();
    verifiedWith.ifPresent(trust -> facts.add(new Fact("Verified with", trust)));
    facts.addAll(facts(view));
    return new ReleaseReport(view.root().toString(), banner(view, verification), facts, sections, view.problems(), links);
  }

  /** The id of the N-th stage's section in the page (from 1). */
  static String stageAnchor(int position) {
    return "stage-" + position;
  }

  static Banner banner(EvidenceView view, EvidenceReport verification) {
    String subject = view.imageReference().or(() -> view.git().commit().map(commit -> "commit " + commit)).orElse("(no image or commit)");
    if (!verification.authentic()) {
      List<String> problems = verification.problems();
      List<String> lines = new ArrayList<>(problems.subList(0, Math.min(problems.size(), MAX_BANNER_LINES)));
      if (problems.size() > MAX_BANNER_LINES) {
        lines.add("and " + (problems.size() - MAX_BANNER_LINES) + " more problems");
      }
      lines.add("Nothing else is shown: what the files claim was not signed.");
      return new Banner(false, "NOT VERIFIED: the evidence is not authentic (" + problems.size() + " problem"
          + (problems.size() == 1 ? "" : "s") + ")", lines);
    }
    String status = verification.status().map(value -> value.id()).orElse(view.status());
    if (!status.equals("released")) {
      return new Banner(false, "NOT RELEASED: authentic evidence of a " + status + " release of " + subject,
          List.of(verification.reason().or(view::reason).orElse("no reason recorded")));
    }
    if (!verification.accepted()) {
      return new Banner(false, "NOT ACCEPTED: released " + subject + ", but the policy is not met", verification.policyViolations());
    }
    return new Banner(true, "VERIFIED: released " + subject, List.of("Every statement is signed by the given key and consistent."));
  }

  static List<Fact> facts(EvidenceView view) {
    List<Fact> facts = new ArrayList<>();
    facts.add(new Fact("Release", view.status() + view.reason().map(reason -> ": " + reason).orElse("")));
    view.image().ifPresent(image -> {
      facts.add(new Fact("Image", image.repository()));
      facts.add(new Fact("Digest", image.digest()));
    });
    facts.add(new Fact("Tags", view.tags().isEmpty() ? "none" : String.join(", ", view.tags())));
    view.version().ifPresent(version -> facts.add(new Fact("Version", version)));
    EvidenceView.Git git = view.git();
    git.commit().ifPresent(commit -> facts.add(new Fact("Git commit", commit)));
    git.source().ifPresent(source -> facts.add(new Fact("Git source", source)));
    git.tag().ifPresent(tag -> facts.add(new Fact("Git tag", tag)));
    git.commitTime().ifPresent(time -> facts.add(new Fact("Commit time", time)));
    if (!git.dirtyPaths().isEmpty()) {
      facts.add(new Fact("Dirty work tree", String.join(", ", git.dirtyPaths())));
    }
    view.signerKeyId().ifPresent(keyId -> facts.add(new Fact("Signer key id", keyId)));
    view.startedAt().ifPresent(started -> facts.add(new Fact("Started", started)));
    view.runId().ifPresent(runId -> facts.add(new Fact("Run id", runId)));
    view.toolVersion().ifPresent(version -> facts.add(new Fact("releasegate", version)));
    view.ci().ifPresent(ci -> {
      facts.add(new Fact("CI", ci.system()));
      ci.url().ifPresent(url -> facts.add(new Fact("CI run", url)));
      ci.facts().forEach((name, value) -> facts.add(new Fact(name, value)));
    });
    return facts;
  }

  /** The tone of a stage's heading. */
  static StageCheck.Status tone(StageView stage) {
    if (stage.passed()) {
      return StageCheck.Status.PASSED;
    }
    if (stage.skipped()) {
      return StageCheck.Status.SKIPPED;
    }
    return stage.failed() ? StageCheck.Status.FAILED : StageCheck.Status.WARNED;
  }
}
