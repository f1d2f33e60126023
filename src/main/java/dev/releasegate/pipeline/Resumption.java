package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.BoundedFiles;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EnvelopeVerifier;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.EvidenceVerifier;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.evidence.Statements;
import dev.releasegate.evidence.Verdict;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.SignedStatement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a {@code --resume} run can take over from an earlier run in the same evidence folder: the
 * signed statements of the stages that passed and whose predecessors in the {@link StageGraph} are
 * reused too, provided the run was about the same commit, version, pipeline file and base image.
 * Everything the earlier run signed is checked with the run's own key before it is reused.
 *
 * @param previousRunId the run whose stages are reused
 * @param reused the passed stages, in pipeline order
 * @param outputs what they handed on
 * @param statements their envelopes, for stages that attach statements (sign)
 */
public record Resumption(
    String previousRunId, List<StageEntry> reused, Map<OutputKey<?>, Object> outputs, List<SignedStatement> statements) {

  public Resumption {
    reused = List.copyOf(reused);
    outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    statements = List.copyOf(statements);
  }

  /** The decision about an earlier run. */
  public sealed interface Plan {
    /** The earlier run released this very commit and version: nothing to do but verify it again. */
    record AlreadyReleased(RunRecord run) implements Plan {}

    /** Continue the earlier run after its last passed stage. */
    record Resume(Resumption resumption) implements Plan {}

    /** The earlier run cannot be reused, for the reason given. */
    record StartOver(String why) implements Plan {}
  }

  /**
   * Looks at the run in {@code evidence}.
   *
   * @param currentBaseDigest the base image's digest now, resolved only if a build stage would be reused
   * @throws InvalidInputException when the folder holds no run at all
   */
  public static Plan plan(
      Path evidence, EnvelopeVerifier trust, Pipeline pipeline, GitFacts git, String version, Supplier<Optional<String>> currentBaseDigest) {
    Previous previous;
    try {
      previous = Files.exists(evidence.resolve(EvidenceLayout.INDEX)) ? finished(evidence, trust) : journaled(evidence, trust);
    } catch (NotReusable e) {
      return new Plan.StartOver(e.getMessage());
    }
    if (!previous.commit.equals(git.commit())) {
      return new Plan.StartOver("the earlier run released commit " + previous.commit + ", HEAD is " + git.commit());
    }
    if (!previous.version.equals(version)) {
      return new Plan.StartOver("the earlier run released version " + previous.version + ", this one is " + version);
    }
    if (!previous.pipelineSha256.equals(pipeline.sha256())) {
      return new Plan.StartOver("the pipeline file changed since the earlier run");
    }
    if (previous.finished.isPresent() && previous.finished.get().status() == dev.releasegate.base.ReleaseStatus.RELEASED) {
      return new Plan.AlreadyReleased(previous.finished.get());
    }

    List<StageEntry> reused = new ArrayList<>();
    Map<OutputKey<?>, Object> outputs = new LinkedHashMap<>();
    List<SignedStatement> statements = new ArrayList<>();
    List<StageDeclaration> stages = pipeline.stages();
    StageGraph graph = StageGraph.of(stages);
    Map<String, StageEntry> earlier = new HashMap<>();
    previous.stages.forEach(entry -> earlier.put(entry.name(), entry));
    java.util.Set<Integer> reusable = new java.util.HashSet<>();
    for (int i = 0; i < stages.size(); i++) {
      StageEntry entry = earlier.get(stages.get(i).name());
      // A stage is reused when it passed at the same place in the same pipeline, after stages that are reused too.
      if (entry == null || entry.status() != StageStatus.PASSED
          || !entry.statement().equals(Optional.of(EvidenceLayout.statementPath(i + 1, stages.get(i).name())))
          || !reusable.containsAll(graph.predecessors(i))) {
        continue;
      }
      Optional<Map<OutputKey<?>, Object>> restored = RecordedOutputs.decode(entry.outputs(), evidence,
          stages.get(i).factory().produces(stages.get(i).options()));
      ObjectNode statement;
      byte[] envelope;
      Optional<String> sigstoreBundle;
      try {
        envelope = BoundedFiles.read(evidence.resolve(entry.statement().orElseThrow()), EvidenceLayout.MAX_STATEMENT_BYTES);
        statement = Statements.parse(DsseEnvelope.parse(envelope).payload());
        Path keyless = evidence.resolve(EvidenceLayout.sigstoreBundlePath(entry.statement().get()));
        sigstoreBundle = Files.isRegularFile(keyless) ? Optional.of(new String(BoundedFiles.read(keyless, EvidenceLayout.MAX_SIGSTORE_BUNDLE_BYTES), StandardCharsets.UTF_8)) : Optional.empty();
      } catch (IOException e) {
        continue;
      }
      Optional<String> baseDigest = stages.get(i).factory().baseImageDigest(statement.path("predicate"));
      if (restored.isEmpty()) {
        continue;
      }
      if (baseDigest.isPresent() && !baseDigest.equals(currentBaseDigest.get())) {
        return new Plan.StartOver("the base image is now " + currentBaseDigest.get().orElse("unknown") + ", the earlier build used " + baseDigest.get());
      }
      reusable.add(i);
      reused.add(entry);
      outputs.putAll(restored.get());
      boolean aboutImage = statement.path("subject").path(0).path("digest").has("sha256");
      statements.add(new SignedStatement(entry.name(), entry.predicateType().orElseThrow(), Json.compact(parse(envelope)), aboutImage, sigstoreBundle));
    }
    return new Plan.Resume(new Resumption(previous.runId, reused, outputs, statements));
  }

  /**
   * Removes what the resumed run will write again: the index, the verdict, the journal, and the
   * statements and artifacts of every stage that is not reused. The index goes first, so that the
   * folder stops being a bundle before anything else changes.
   */
  public static void clearFrom(Path evidence, Resumption resumption, Pipeline pipeline) throws IOException {
    Files.deleteIfExists(evidence.resolve(EvidenceLayout.INDEX));
    Files.deleteIfExists(evidence.resolve(Verdict.STATEMENT_PATH));
    Files.deleteIfExists(evidence.resolve(EvidenceLayout.sigstoreBundlePath(Verdict.STATEMENT_PATH)));
    Files.deleteIfExists(evidence.resolve(EvidenceLayout.SIGNER_PUBLIC_KEY));
    Files.deleteIfExists(evidence.resolve(EvidenceLayout.SIGNER_CERTIFICATE));
    Files.deleteIfExists(evidence.resolve(EvidenceLayout.JOURNAL));
    deleteTree(evidence.resolve(EvidenceLayout.REPORTS));
    java.util.Set<String> kept = new java.util.HashSet<>();
    resumption.reused().forEach(entry -> kept.add(entry.name()));
    List<StageDeclaration> stages = pipeline.stages();
    for (int i = 0; i < stages.size(); i++) {
      if (!kept.contains(stages.get(i).name())) {
        String statement = EvidenceLayout.statementPath(i + 1, stages.get(i).name());
        Files.deleteIfExists(evidence.resolve(statement));
        Files.deleteIfExists(evidence.resolve(EvidenceLayout.sigstoreBundlePath(statement)));
        deleteTree(evidence.resolve(EvidenceLayout.artifactFolder(stages.get(i).name())));
      }
    }
  }

  /** The newest run folder under the project's default evidence location. */
  public static Optional<Path> latest(Path project) {
    Path folder = project.resolve("target/releasegate");
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (Stream<Path> runs = Files.list(folder)) {
      // A dry run's image layout lies beside its evidence; it is no run to resume.
      return runs.filter(Files::isDirectory).filter(path -> !Files.exists(path.resolve("oci-layout")))
          .max(Comparator.comparing(path -> path.getFileName().toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The journal a running release keeps: enough to resume it if it is cut off before its verdict. */
  static ObjectNode journal(String runId, GitFacts git, String version, Pipeline pipeline, List<StageEntry> stages) {
    ObjectNode journal = Json.object();
    journal.put("runId", runId).put("commit", git.commit()).put("version", version).put("pipelineSha256", pipeline.sha256());
    ArrayNode list = journal.putArray("stages");
    for (StageEntry stage : stages) {
      list.add(stage.toJson());
    }
    return journal;
  }

  private record Previous(String runId, String commit, String version, String pipelineSha256, List<StageEntry> stages, Optional<RunRecord> finished) {}

  private static Previous finished(Path evidence, EnvelopeVerifier trust) throws NotReusable {
    EvidenceReport report = new EvidenceVerifier(trust, StageTypes.load().predicateTypes()).verify(evidence, EvidencePolicy.NONE);
    if (!report.authentic()) {
      throw new NotReusable("the earlier bundle does not verify with this key: " + report.problems().get(0));
    }
    try {
      RunRecord run = RunRecord.fromJson(EvidenceVerifier.runPart((ObjectNode) Json.parse(BoundedFiles.read(evidence.resolve(EvidenceLayout.INDEX), EvidenceLayout.MAX_INDEX_BYTES))));
      return new Previous(run.runId(), run.git().commit(), run.version(), run.pipelineSha256(), run.stages(), Optional.of(run));
    } catch (IOException e) {
      throw new NotReusable("the earlier bundle cannot be read: " + e.getMessage());
    }
  }

  private static Previous journaled(Path evidence, EnvelopeVerifier trust) throws NotReusable {
    Path file = evidence.resolve(EvidenceLayout.JOURNAL);
    if (!Files.exists(file)) {
      throw new InvalidInputException("nothing to resume in " + evidence + ": it holds no finished run (bundle.json) and no progress journal");
    }
    try {
      JsonNode journal = Json.parse(BoundedFiles.read(file, EvidenceLayout.MAX_INDEX_BYTES));
      List<StageEntry> stages = new ArrayList<>();
      for (JsonNode node : journal.path("stages")) {
        StageEntry entry = StageEntry.fromJson(node);
        if (entry.statement().isPresent()) {
          // The journal is not signed; every statement it names must be ours and unchanged.
          byte[] bytes = BoundedFiles.read(evidence.resolve(entry.statement().get()), EvidenceLayout.MAX_STATEMENT_BYTES);
          if (!Digests.sha256Hex(bytes).equals(entry.sha256().orElse("")) || trust.check(evidence.resolve(entry.statement().get()), DsseEnvelope.parse(bytes)).isPresent()) {
            throw new NotReusable("statement " + entry.statement().get() + " of the earlier run is not what its journal says");
          }
        }
        stages.add(entry);
      }
      return new Previous(journal.path("runId").asText(), journal.path("commit").asText(), journal.path("version").asText(),
          journal.path("pipelineSha256").asText(), stages, Optional.empty());
    } catch (IOException e) {
      throw new NotReusable("the progress journal cannot be read: " + e.getMessage());
    }
  }

  /** The base image digest an SLSA provenance statement resolved, if it is one. */
  private static JsonNode parse(byte[] envelope) {
    try {
      return Json.parse(envelope);
    } catch (IOException e) {
      throw new IllegalStateException("an envelope that parsed once parses again", e);
    }
  }

  private static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static final class NotReusable extends Exception {
    private static final long serialVersionUID = 1L;

    NotReusable(String message) {
      super(message);
    }
  }
}
