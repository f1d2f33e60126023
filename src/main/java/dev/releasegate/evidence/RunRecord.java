package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.StageStatus;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.CiRun;
import dev.releasegate.spi.GitFacts;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the bundle says about one run. It is written twice: unsigned as {@code bundle.json}, the
 * index a reader opens first, and signed inside the verdict. Verification requires the two to be equal,
 * so the index can be trusted exactly as far as the signature on the verdict.
 *
 * @param dryRun a dry run: the image stayed on the machine, publishers did not run, and the evidence
 *     is signed with a key of the run's own; never released, whatever the gates decided
 * @param reason why the run was not released; empty when it was
 * @param ci the CI run the release happened in
 * @param resumedFrom the run whose passed stages this one reused (--resume)
 * @param isolation how the project's commands were kept from the release's secrets: {@value #ISOLATED}
 *     (own PID and mount namespaces, no key or credential file) or {@value #NOT_ISOLATED}
 */
public record RunRecord(
    String runId,
    String toolVersion,
    Instant startedAt,
    GitFacts git,
    String version,
    boolean allowDirty,
    boolean dryRun,
    String pipelineLocation,
    String pipelineSha256,
    Optional<ImageReference> image,
    List<String> tags,
    List<StageEntry> stages,
    ReleaseStatus status,
    Optional<String> reason,
    Optional<CiRun> ci,
    Optional<String> resumedFrom,
    String isolation,
    List<Artifact> reports) {

  public static final String ISOLATED = "namespaces";
  public static final String NOT_ISOLATED = "none";

  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(ci, "ci");
    Objects.requireNonNull(resumedFrom, "resumedFrom");
    if (!isolation.equals(ISOLATED) && !isolation.equals(NOT_ISOLATED)) {
      throw new IllegalArgumentException("isolation is " + ISOLATED + " or " + NOT_ISOLATED + ", not " + isolation);
    }
    reports = List.copyOf(reports);
    if (reports.stream().anyMatch(report -> !report.path().startsWith(EvidenceLayout.REPORTS + "/"))) {
      throw new IllegalArgumentException("reports must stay under " + EvidenceLayout.REPORTS + "/");
    }
    tags = List.copyOf(tags);
    stages = List.copyOf(stages);
    if ((status == ReleaseStatus.RELEASED) == reason.isPresent()) {
      throw new IllegalArgumentException("a reason is given exactly when the run was not released");
    }
    if (dryRun ? status == ReleaseStatus.RELEASED : status == ReleaseStatus.DRY_RUN) {
      throw new IllegalArgumentException("a dry run is never released, and only a dry run has status " + ReleaseStatus.DRY_RUN.id());
    }
  }

  /** Why a dry run whose gates all passed is not released. */
  public static final String DRY_RUN_REASON = "a dry run: every gate passed; nothing was pushed, tagged or signed";

  /**
   * The verdict the stages make: rejected when a gate rejected the release (a decision outranks an
   * inability to decide), failed when a stage failed otherwise or was cancelled, else released.
   */
  public static ReleaseStatus statusOf(List<StageEntry> stages, boolean dryRun) {
    ReleaseStatus status = statusOf(stages);
    return dryRun && status == ReleaseStatus.RELEASED ? ReleaseStatus.DRY_RUN : status;
  }

  private static ReleaseStatus statusOf(List<StageEntry> stages) {
    boolean failed = false;
    for (StageEntry stage : stages) {
      if (stage.failure().equals(Optional.of(FailureKind.REJECTED))) {
        return ReleaseStatus.REJECTED;
      }
      failed |= stage.status() == StageStatus.FAILED || stage.status() == StageStatus.CANCELLED;
    }
    return failed ? ReleaseStatus.FAILED : ReleaseStatus.RELEASED;
  }

  /** Why the stages did not release: every failed stage's reason, in pipeline order. */
  public static Optional<String> reasonOf(List<StageEntry> stages, boolean dryRun) {
    return reasonOf(stages).or(() -> dryRun ? Optional.of(DRY_RUN_REASON) : Optional.empty());
  }

  private static Optional<String> reasonOf(List<StageEntry> stages) {
    List<String> reasons = new ArrayList<>();
    for (StageEntry stage : stages) {
      if (stage.status() == StageStatus.FAILED) {
        reasons.add("stage '" + stage.name() + "': " + stage.reason().orElse("failed"));
      }
    }
    if (reasons.isEmpty() && statusOf(stages) != ReleaseStatus.RELEASED) {
      reasons.add("stages were cancelled");
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  /** The git commit as an in-toto subject: what the release was made from. */
  public ObjectNode gitSubject() {
    return gitSubject(git);
  }

  public static ObjectNode gitSubject(GitFacts git) {
    return Statements.subject(git.source().map(url -> "git+" + url).orElse("git"), "gitCommit", git.commit());
  }

  /** The image as an in-toto subject, named by repository as cosign does. */
  public static ObjectNode imageSubject(ImageReference image) {
    return Statements.subject(image.repository(), "sha256", image.hex());
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("runId", runId);
    node.putObject("tool").put("name", "releasegate").put("version", toolVersion);
    node.put("startedAt", startedAt.toString());
    ObjectNode gitNode = node.putObject("git");
    gitNode.put("commit", git.commit());
    gitNode.put("shortCommit", git.shortCommit());
    gitNode.put("commitTime", git.commitTime().toString());
    git.source().ifPresent(source -> gitNode.put("source", source));
    git.tag().ifPresent(tag -> gitNode.put("tag", tag));
    ArrayNode dirty = gitNode.putArray("dirtyPaths");
    git.dirtyPaths().forEach(dirty::add);
    node.put("version", version);
    node.put("allowDirty", allowDirty);
    node.put("dryRun", dryRun);
    node.putObject("pipeline").put("location", pipelineLocation).put("sha256", pipelineSha256);
    image.ifPresent(
        ref -> node.putObject("image").put("repository", ref.repository()).put("digest", ref.digest()));
    ArrayNode tagList = node.putArray("tags");
    tags.forEach(tagList::add);
    ArrayNode stageList = node.putArray("stages");
    stages.forEach(stage -> stageList.add(stage.toJson()));
    node.put("status", status.id());
    reason.ifPresent(value -> node.put("reason", value));
    ci.ifPresent(run -> {
      ObjectNode ciNode = node.putObject("ci").put("system", run.system());
      run.url().ifPresent(url -> ciNode.put("url", url));
      ObjectNode facts = ciNode.putObject("facts");
      run.facts().forEach(facts::put);
    });
    resumedFrom.ifPresent(earlier -> node.put("resumedFrom", earlier));
    node.put("isolation", isolation);
    if (!reports.isEmpty()) {
      ArrayNode list = node.putArray("reports");
      reports.forEach(report -> list.addObject().put("path", report.path()).put("sha256", report.sha256()).put("size", report.size()));
    }
    return node;
  }

  /** The same record with the derived reports listed. */
  public RunRecord withReports(List<Artifact> reports) {
    return new RunRecord(runId, toolVersion, startedAt, git, version, allowDirty, dryRun, pipelineLocation, pipelineSha256, image, tags,
        stages, status, reason, ci, resumedFrom, isolation, reports);
  }

  public static RunRecord fromJson(JsonNode node) throws IOException {
    JsonFields fields = new JsonFields(node, "run");
    JsonFields tool = new JsonFields(fields.object("tool"), "tool");
    JsonFields gitFields = new JsonFields(fields.object("git"), "git");
    List<String> dirtyPaths = new ArrayList<>();
    for (JsonNode path : gitFields.array("dirtyPaths")) {
      dirtyPaths.add(requireText(path, "dirtyPaths"));
    }
    JsonFields pipeline = new JsonFields(fields.object("pipeline"), "pipeline");
    Optional<ImageReference> image = Optional.empty();
    if (node.has("image")) {
      JsonFields imageFields = new JsonFields(fields.object("image"), "image");
      try {
        image = Optional.of(new ImageReference(imageFields.text("repository"), imageFields.text("digest")));
      } catch (IllegalArgumentException e) {
        throw new IOException("image: " + e.getMessage());
      }
    }
    List<String> tags = new ArrayList<>();
    for (JsonNode tag : fields.array("tags")) {
      tags.add(requireText(tag, "tags"));
    }
    List<StageEntry> stages = new ArrayList<>();
    for (JsonNode stage : fields.array("stages")) {
      stages.add(StageEntry.fromJson(stage));
    }
    try {
      GitFacts git =
          new GitFacts(
              gitFields.text("commit"),
              gitFields.text("shortCommit"),
              Instant.parse(gitFields.text("commitTime")),
              gitFields.optionalText("source"),
              gitFields.optionalText("tag"),
              dirtyPaths);
      return new RunRecord(
          fields.text("runId"),
          tool.text("version"),
          Instant.parse(fields.text("startedAt")),
          git,
          fields.text("version"),
          fields.bool("allowDirty"),
          node.has("dryRun") && fields.bool("dryRun"),
          pipeline.text("location"),
          pipeline.text("sha256"),
          image,
          tags,
          stages,
          fields.enumValue("status", ReleaseStatus.class),
          fields.optionalText("reason"),
          ci(node),
          fields.optionalText("resumedFrom"),
          fields.text("isolation"),
          reports(node));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException(e.getMessage());
    }
  }

  private static List<Artifact> reports(JsonNode node) throws IOException {
    List<Artifact> reports = new ArrayList<>();
    if (node.has("reports")) {
      for (JsonNode item : new JsonFields(node, "run").array("reports")) {
        JsonFields report = new JsonFields(item, "report");
        reports.add(new Artifact(report.text("path"), report.text("sha256"), report.number("size")));
      }
    }
    return reports;
  }

  private static Optional<CiRun> ci(JsonNode node) throws IOException {
    if (!node.has("ci")) {
      return Optional.empty();
    }
    JsonFields ci = new JsonFields(node.get("ci"), "ci");
    java.util.Map<String, String> facts = new java.util.LinkedHashMap<>();
    JsonNode factNodes = ci.object("facts");
    for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = factNodes.fields(); it.hasNext(); ) {
      java.util.Map.Entry<String, JsonNode> entry = it.next();
      facts.put(entry.getKey(), requireText(entry.getValue(), "ci.facts"));
    }
    return Optional.of(new CiRun(ci.text("system"), ci.optionalText("url"), facts));
  }

  private static String requireText(JsonNode node, String field) throws IOException {
    if (!node.isTextual()) {
      throw new IOException("'" + field + "' must hold strings");
    }
    return node.textValue();
  }
}
