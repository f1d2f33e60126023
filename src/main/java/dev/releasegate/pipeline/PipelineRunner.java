package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.ToolVersion;
import dev.releasegate.api.EnvironmentException;
import dev.releasegate.api.FailureKind;
import dev.releasegate.api.InvalidInputException;
import dev.releasegate.api.ReleaseEvent;
import dev.releasegate.api.ReleaseListener;
import dev.releasegate.api.ReleaseResult;
import dev.releasegate.api.ReleaseStatus;
import dev.releasegate.api.StageReport;
import dev.releasegate.api.StageStatus;
import dev.releasegate.evidence.BundleWriter;
import dev.releasegate.evidence.EnvelopeSigner;
import dev.releasegate.evidence.Json;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.evidence.Statements;
import dev.releasegate.ci.CiDetector;
import dev.releasegate.report.BundleView;
import dev.releasegate.report.JUnitReport;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.CiRun;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.ImageReference;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs the stages of a validated pipeline in order and records each in the evidence bundle. The first
 * stage that does not pass stops the run; every later stage is recorded as not run, and the run still
 * ends with a signed verdict.
 */
public final class PipelineRunner {
  /** The predicate of a statement for a stage that could not decide. */
  public static final String STAGE_ERROR_PREDICATE = "https://releasegate.dev/stage-error/v1";
  private static final String INTERRUPTED_MESSAGE = "interrupted: releasegate was asked to stop";

  private final Pipeline pipeline;
  private final Path projectDirectory;
  private final GitFacts git;
  private final String version;
  private final ImageSettings image;
  private final boolean allowDirty;
  private final java.util.Set<String> skip;
  private final Secrets secrets;
  private final BundleWriter bundle;
  private final EnvelopeSigner signer;
  private final ReleaseListener listener;
  private final Clock clock;
  private final Optional<CiRun> ci;
  private final Optional<Resumption> resumption;
  /** Set once the thread running the release was interrupted (SIGTERM reaches it that way). */
  private boolean stopRequested;

  /** Everything a run needs, prepared and checked by the caller. */
  public record Setup(
      Pipeline pipeline,
      Path projectDirectory,
      GitFacts git,
      String version,
      ImageSettings image,
      boolean allowDirty,
      java.util.Set<String> skip,
      Map<String, String> environment,
      EnvelopeSigner signer,
      Path evidenceDirectory,
      Clock clock,
      Optional<Resumption> resumption) {}

  private PipelineRunner(Setup setup, BundleWriter bundle, ReleaseListener listener) {
    this.pipeline = setup.pipeline();
    this.projectDirectory = setup.projectDirectory();
    this.git = setup.git();
    this.version = setup.version();
    this.image = setup.image();
    this.allowDirty = setup.allowDirty();
    this.skip = setup.skip();
    this.secrets = new Secrets(setup.environment());
    this.bundle = bundle;
    this.signer = setup.signer();
    this.listener = listener;
    this.clock = setup.clock();
    this.ci = CiDetector.detect(setup.environment());
    this.resumption = setup.resumption();
  }

  /** Starts a run: the evidence folder must be new or empty, or cleared for a resumption. */
  public static PipelineRunner create(Setup setup, ReleaseListener listener) {
    try {
      BundleWriter bundle = setup.resumption().isPresent()
          ? BundleWriter.resume(setup.evidenceDirectory(), setup.signer())
          : BundleWriter.create(setup.evidenceDirectory(), setup.signer());
      return new PipelineRunner(setup, bundle, listener);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot use evidence folder " + setup.evidenceDirectory() + ": " + e.getMessage() + "; choose a new --evidence folder", e);
    }
  }

  public ReleaseResult run() {
    String runId = UUID.randomUUID().toString();
    Instant startedAt = clock.instant();
    Map<OutputKey<?>, Object> outputs = new LinkedHashMap<>();
    RunContext.RunState state =
        new RunContext.RunState(
            runId, projectDirectory, git, version, image,
            new StageContext.PipelineSource(pipeline.location(), pipeline.sha256()),
            outputs, secrets, listener, clock, signer.signer(), new ArrayList<>(), ci);
    List<StageDeclaration> stages = pipeline.stages();
    listener.on(new ReleaseEvent.RunStarted(runId, stages.stream().map(StageDeclaration::name).toList(), bundle.root()));

    List<StageEntry> entries = new ArrayList<>();
    List<StageReport> reports = new ArrayList<>();
    List<StageEntry> reused = resumption.map(Resumption::reused).orElse(List.of());
    resumption.ifPresent(earlier -> {
      outputs.putAll(earlier.outputs());
      state.statements().addAll(earlier.statements());
      listener.on(new ReleaseEvent.Notice("resuming run " + earlier.previousRunId() + ": reusing the signed statements of "
          + (reused.isEmpty() ? "no stage" : String.join(", ", reused.stream().map(StageEntry::name).toList()))));
    });
    StageReport stopper = null;
    for (int i = 0; i < stages.size(); i++) {
      StageDeclaration stage = stages.get(i);
      Outcome outcome;
      if (i < reused.size()) {
        StageEntry entry = reused.get(i);
        outcome = new Outcome(entry, new StageReport(entry.name(), entry.type(), StageStatus.PASSED, Optional.empty(), Optional.empty(),
            entry.durationMs(), entry.statement(), List.of("reused from run " + resumption.get().previousRunId()), List.of()), Optional.empty());
      } else if (stopper != null) {
        outcome = Outcome.skipped(stage, "not run: stage '" + stopper.name() + "' " + (stopper.failure().get() == FailureKind.REJECTED ? "rejected the release" : "failed"));
      } else if (skip.contains(stage.name())) {
        outcome = Outcome.skipped(stage, "skipped with --skip");
      } else if (stopRequested || Thread.interrupted()) {
        stopRequested = true;
        outcome = interrupted(i + 1, stage, state);
      } else {
        listener.on(new ReleaseEvent.StageStarted(stage.name(), stage.type(), i + 1, stages.size()));
        outcome = runStage(i + 1, stage, state);
      }
      entries.add(outcome.entry);
      reports.add(outcome.report);
      journal(runId, entries);
      listener.on(new ReleaseEvent.StageFinished(outcome.report, Duration.ofMillis(outcome.report.durationMs()), outcome.cause));
      if (outcome.report.status() == StageStatus.FAILED && stopper == null) {
        stopper = outcome.report;
      }
    }

    ReleaseStatus status =
        stopper == null ? ReleaseStatus.RELEASED
            : stopper.failure().get() == FailureKind.REJECTED ? ReleaseStatus.REJECTED : ReleaseStatus.FAILED;
    Optional<String> reason =
        stopper == null ? Optional.empty() : Optional.of("stage '" + stopper.name() + "': " + stopper.reason().get());
    Optional<ImageReference> built = Optional.ofNullable((ImageReference) outputs.get(Outputs.IMAGE));
    @SuppressWarnings("unchecked")
    List<String> tags = (List<String>) outputs.getOrDefault(Outputs.TAGS, List.of());
    RunRecord record =
        new RunRecord(
            runId, ToolVersion.get(), startedAt, git, version, allowDirty, pipeline.location(), pipeline.sha256(),
            built, tags, entries, status, reason, ci, resumption.map(Resumption::previousRunId), List.of());
    Thread.interrupted();
    try {
      // The JUnit report is written before the verdict and listed in it, so that it is signed too.
      byte[] junit = JUnitReport.write(BundleView.of(bundle.root(), record.toJson()));
      record = record.withReports(List.of(bundle.writeReport("junit.xml", junit)));
      bundle.finish(record, clock.instant());
    } catch (IOException e) {
      throw new EnvironmentException("cannot write the verdict to " + bundle.root() + ": " + e.getMessage(), e);
    }
    ReleaseResult result =
        new ReleaseResult(
            status, image.repository(), built.map(ImageReference::digest), tags, bundle.root(), reports);
    listener.on(new ReleaseEvent.RunFinished(result));
    return result;
  }

  /** Keeps the journal a --resume needs if the run is cut off before its verdict; failing to is not fatal. */
  private void journal(String runId, List<StageEntry> entries) {
    // The file channel would refuse to write with the interrupt flag set; the stop is remembered instead.
    if (Thread.interrupted()) {
      stopRequested = true;
    }
    try {
      bundle.writeJournal(Resumption.journal(runId, git, version, pipeline, entries));
    } catch (IOException e) {
      listener.on(new ReleaseEvent.Notice("cannot write the progress journal (only --resume needs it): " + e.getMessage()));
    }
  }

  private Outcome runStage(int position, StageDeclaration stage, RunContext.RunState state) {
    return runStage(position, stage, state, stage.factory().create(stage.options()));
  }

  private Outcome runStage(int position, StageDeclaration stage, RunContext.RunState state, Stage body) {
    RunContext context = new RunContext(stage.name(), state, bundle.artifacts(stage.name()));
    Instant start = clock.instant();
    StageResult result = null;
    FailureKind failure = null;
    String message = null;
    Throwable cause = null;
    try {
      result = body.run(context);
      if (result == null) {
        throw new IllegalStateException("stage returned no result");
      }
    } catch (InvalidInputException e) {
      failure = FailureKind.INVALID_INPUT;
      message = e.getMessage();
      cause = e;
    } catch (EnvironmentException e) {
      failure = FailureKind.ENVIRONMENT;
      message = e.getMessage();
      cause = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = FailureKind.INTERRUPTED;
      message = INTERRUPTED_MESSAGE;
      cause = e;
    } catch (RuntimeException e) {
      failure = FailureKind.ENVIRONMENT;
      message = "internal error: " + e;
      cause = e;
    }
    // The evidence is written with interruptible file channels, so the flag is cleared here and the
    // stop remembered instead. A stage that failed because it was interrupted (an aborted download, a
    // killed subprocess) failed because of the interruption, whatever its exception says.
    // A stage that "passed" while the stop arrived may have passed half-done: it fails closed.
    if (Thread.interrupted() || failure == FailureKind.INTERRUPTED) {
      stopRequested = true;
      result = null;
      failure = FailureKind.INTERRUPTED;
      message = INTERRUPTED_MESSAGE;
    }
    long durationMs = Duration.between(start, clock.instant()).toMillis();

    String predicateType;
    ObjectNode predicate;
    StageStatus status;
    Optional<String> reason;
    List<String> details = List.of();
    List<String> warnings = List.of();
    if (result != null) {
      predicateType = stage.factory().predicateType();
      predicate = result.predicate();
      details = result.details().stream().map(secrets::redact).toList();
      warnings = result.warnings().stream().map(secrets::redact).toList();
      if (result.outcome() == StageResult.Outcome.PASSED) {
        status = StageStatus.PASSED;
        reason = Optional.empty();
        state.outputs().putAll(result.outputs());
      } else {
        status = StageStatus.FAILED;
        failure = FailureKind.REJECTED;
        reason = Optional.of(secrets.redact(result.summary()));
      }
    } else {
      message = secrets.redact(message);
      predicateType = STAGE_ERROR_PREDICATE;
      predicate = Json.object();
      predicate.put("stage", stage.name()).put("type", stage.type()).put("failure", failure.id()).put("message", message);
      status = StageStatus.FAILED;
      reason = Optional.of(message);
    }
    warnings.forEach(warning -> listener.on(new ReleaseEvent.StageWarning(stage.name(), warning)));

    // The image exists from the stage that built it on: from there every statement is about its digest.
    Optional<ImageReference> image = Optional.ofNullable((ImageReference) state.outputs().get(Outputs.IMAGE));
    ObjectNode subject = image.map(RunRecord::imageSubject).orElseGet(() -> RunRecord.gitSubject(git));
    ObjectNode statement = Statements.statement(List.of(subject), predicateType, predicate);
    BundleWriter.SignedFile signed;
    List<Artifact> artifacts;
    try {
      signed = bundle.writeStatement(position, stage.name(), statement);
      artifacts = bundle.listArtifacts(stage.name());
      state.statements().add(new SignedStatement(stage.name(), predicateType, Json.compact(signed.envelope().toJson()), image.isPresent(), signed.sigstoreBundle()));
    } catch (IOException e) {
      throw new EnvironmentException("cannot write evidence to " + bundle.root() + ": " + e.getMessage(), e);
    }
    StageEntry entry =
        new StageEntry(stage.name(), stage.type(), status, reason, Optional.ofNullable(failure), durationMs,
            Optional.of(predicateType), Optional.of(signed.path()), Optional.of(signed.sha256()), artifacts,
            status == StageStatus.PASSED ? OutputCodec.encode(result.outputs(), bundle.root()) : Json.object());
    StageReport report =
        new StageReport(stage.name(), stage.type(), status, reason, Optional.ofNullable(failure), durationMs,
            Optional.of(signed.path()), details, warnings);
    return new Outcome(entry, report, Optional.ofNullable(cause));
  }

  /** A stage that did not start because the run was stopped; recorded as failed so the verdict says why. */
  private Outcome interrupted(int position, StageDeclaration stage, RunContext.RunState state) {
    return runStage(position, stage, state, context -> {
      throw new InterruptedException();
    });
  }

  private record Outcome(StageEntry entry, StageReport report, Optional<Throwable> cause) {
    static Outcome skipped(StageDeclaration stage, String reason) {
      return new Outcome(
          new StageEntry(stage.name(), stage.type(), StageStatus.SKIPPED, Optional.of(reason), Optional.empty(), 0,
              Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Json.object()),
          new StageReport(stage.name(), stage.type(), StageStatus.SKIPPED, Optional.of(reason), Optional.empty(), 0,
              Optional.empty(), List.of(), List.of()),
          Optional.empty());
    }
  }
}
