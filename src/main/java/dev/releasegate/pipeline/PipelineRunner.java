package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.ToolVersion;
import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.StageStatus;
import dev.releasegate.ci.CiDetector;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EnvelopeSigner;
import dev.releasegate.evidence.EvidenceVerifier;
import dev.releasegate.evidence.EvidenceWriter;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.evidence.Statements;
import dev.releasegate.process.Sandbox;
import dev.releasegate.publish.Attachments;
import dev.releasegate.publish.RunAttachments;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.report.EvidenceView;
import dev.releasegate.report.JUnitReport;
import dev.releasegate.report.StageReaders;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.spi.CiRun;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the stages of a validated pipeline and records each in the evidence bundle.
 *
 * <p>Stages start as soon as the {@link StageGraph} allows: independent gates run at the same time,
 * publishers only after every gate passed, one at a time. The first stage that fails cancels the others
 * (their subprocesses and containers are stopped) and nothing new starts; the cancelled stages are
 * recorded as cancelled, those never started as not run, and the run still ends with a signed verdict.
 * Statements are numbered in the pipeline file's order, whatever order the stages finish in.
 *
 * <p>One coordinator thread decides every stage and writes all the evidence; the stages only run,
 * each a {@link StageAttempt} with its deadline, and what one did becomes a {@link StageVerdict}.
 * Interrupting the thread that called {@link #run} (SIGTERM reaches it that way) stops the run the
 * same way a failure does, with the running stages recorded as interrupted.
 */
public final class PipelineRunner {
  /** How long stopped stages get to remove their subprocesses and containers before the run gives up on them. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Pipeline pipeline;
  private final StageGraph graph;
  private final Path projectDirectory;
  private final GitFacts git;
  private final String version;
  private final ImageSettings image;
  private final boolean allowDirty;
  private final Set<String> skip;
  private final Map<String, String> environment;
  private final Secrets secrets;
  private final EvidenceWriter bundle;
  private final EnvelopeSigner signer;
  private final ReleaseListener listener;
  private final Clock clock;
  private final Optional<CiRun> ci;
  private final Optional<Resumption> resumption;
  private final List<Path> hiddenFromCommands;
  private final Optional<Path> dryRunImageLayout;
  /** What the build that runs this release already built: an output every stage sees from the start. */
  private final Optional<BuildOutputs> build;

  /** Everything a run needs, prepared and checked by the caller. */
  public record Setup(
      Pipeline pipeline,
      Path projectDirectory,
      GitFacts git,
      String version,
      ImageSettings image,
      boolean allowDirty,
      Set<String> skip,
      Map<String, String> environment,
      EnvelopeSigner signer,
      Path evidenceDirectory,
      Clock clock,
      Optional<Resumption> resumption,
      List<Path> hiddenFromCommands,
      Optional<Path> dryRunImageLayout,
      Optional<BuildOutputs> build) {

    public Setup {
      hiddenFromCommands = List.copyOf(hiddenFromCommands);
    }
  }

  private PipelineRunner(Setup setup, EvidenceWriter bundle, ReleaseListener listener) {
    this.pipeline = setup.pipeline();
    this.graph = StageGraph.of(pipeline.stages());
    this.projectDirectory = setup.projectDirectory();
    this.git = setup.git();
    this.version = setup.version();
    this.image = setup.image();
    this.allowDirty = setup.allowDirty();
    this.skip = setup.skip();
    this.environment = setup.environment();
    this.secrets = new Secrets(environment);
    this.bundle = bundle;
    this.signer = setup.signer();
    this.listener = serial(listener);
    this.clock = setup.clock();
    this.ci = CiDetector.detect(setup.environment());
    this.resumption = setup.resumption();
    this.hiddenFromCommands = setup.hiddenFromCommands();
    this.dryRunImageLayout = setup.dryRunImageLayout();
    this.build = setup.build();
    // Every secret the stages will read is known before the first command runs: redacted from its
    // first echo, and kept from every subprocess.
    for (StageDeclaration stage : pipeline.stages()) {
      stage.factory().secretVariables(stage.options()).forEach(secrets::read);
    }
    secrets.readFiles(hiddenFromCommands);
  }

  /** Starts a run: the evidence folder must be new or empty, or cleared for a resumption. */
  public static PipelineRunner create(Setup setup, ReleaseListener listener) {
    try {
      EvidenceWriter bundle = setup.resumption().isPresent()
          ? EvidenceWriter.resume(setup.evidenceDirectory(), setup.signer())
          : EvidenceWriter.create(setup.evidenceDirectory(), setup.signer());
      return new PipelineRunner(setup, bundle, listener);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot use evidence folder " + setup.evidenceDirectory() + ": " + e.getMessage(), Remedy.NEW_EVIDENCE_FOLDER, e);
    }
  }

  /** Events come from the stages' threads too; listeners see them one at a time. */
  private static ReleaseListener serial(ReleaseListener listener) {
    return new ReleaseListener() {
      @Override
      public synchronized void on(ReleaseEvent event) {
        listener.on(event);
      }
    };
  }

  /**
   * Runs the pipeline to its verdict and, for a released image, attaches the verdict and the evidence.
   * The stages are coordinated on a thread of the run's own, so that an interrupt of the caller is a
   * request to stop and never cuts an evidence write in half.
   */
  public ReleaseResult run() {
    Coordinator coordinator = new Coordinator();
    ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "releasegate-run"));
    try {
      Future<ReleaseResult> result = thread.submit(coordinator::run);
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          coordinator.stop();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException failure) {
            throw failure;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      thread.shutdown();
    }
  }

  private boolean dryRun() {
    return dryRunImageLayout.isPresent();
  }

  /** The pipeline file as applied, among the bundle's signed reports. */
  public static final String PIPELINE_REPORT = "pipeline.yaml";

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** A message to the coordinator: a stage came back, or the run is asked to stop. */
  private sealed interface Message {}

  private record Stop() implements Message {}

  /** A running stage's deadline passed. */
  private record Overdue() implements Message {}

  /** A stage came back from its thread. */
  private record Finished(StageAttempt.Outcome outcome) implements Message {}

  /** A decided stage: its record, and the exception of a stage that could not decide. */
  private record Decision(StageEntry entry, Optional<Throwable> cause) {}

  /**
   * A decided stage's signed statement and the artifacts it covers.
   *
   * @param imageIsNew whether the stage just published the image: the statements before it are to be signed again about it
   */
  private record Signed(String predicateType, EvidenceWriter.SignedFile file, List<Artifact> artifacts, boolean imageIsNew) {}

  /** The state of one run; touched only by the coordinator thread. */
  private final class Coordinator {
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final List<StageDeclaration> stages = pipeline.stages();
    private final Decision[] decided = new Decision[stages.size()];
    private final SignedStatement[] statements = new SignedStatement[stages.size()];
    private final Map<Integer, StageAttempt> running = new LinkedHashMap<>();
    private final Map<OutputKey<?>, Object> outputs = new LinkedHashMap<>();
    private final String runId = UUID.randomUUID().toString();
    private RunContext.RunState state;
    /** Why the project's code was not kept from the release's secrets, when it was not; the run record says so. */
    private Optional<String> notIsolatedBecause = Optional.of("the sandbox was not tried");
    private StopCause stopCause;
    private String stopReason;
    private long stopDeadline;

    void stop() {
      inbox.add(new Stop());
    }

    ReleaseResult run() {
      Instant startedAt = clock.instant();
      begin();
      decideReusedAndSkipped();
      if (outputs.containsKey(Outputs.IMAGE)) {
        // A run cut off between its build and signing the earlier statements again finishes that here.
        aboutTheImage();
      }
      runStages();
      for (int i = 0; i < stages.size(); i++) {
        if (decided[i] == null) {
          record(i, skipped(stages.get(i), "not run: " + (stopReason == null ? "an earlier stage did not pass" : stopReason)));
        }
      }
      return finish(startedAt);
    }

    /** Tries the sandbox, makes the run's state and announces the run, with what weakens it. */
    private void begin() {
      Sandbox sandbox;
      try {
        sandbox = Sandbox.detect(secrets.subprocessEnvironment(), hiddenFromCommands);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        sandbox = Sandbox.none("interrupted while trying the sandbox");
      }
      state = new RunContext.RunState(
          runId, projectDirectory, git, version, image, new StageContext.PipelineSource(pipeline.recordedLocation(projectDirectory), pipeline.sha256()),
          secrets, listener, clock, signer.signer(), ci, sandbox, dryRunImageLayout);
      listener.on(new ReleaseEvent.RunStarted(runId, stages.stream().map(StageDeclaration::name).toList(), bundle.root()));
      // The build that runs the release (the Maven plug-in's) compiled and tested the project in the very
      // process that holds the key and COSIGN_PASSWORD: the sandbox still runs the later commands, but the
      // project's code was never kept from the secrets, and the record must not say it was.
      notIsolatedBecause = build.filter(BuildOutputs::byTheCaller).isPresent()
          ? Optional.of("the project was built and tested by the build that runs this release, in the process that holds its secrets")
          : sandbox.notIsolatedBecause();
      notIsolatedBecause.ifPresent(why -> listener.on(new ReleaseEvent.Notice(
          "WARNING: the project's code runs WITHOUT isolation from the release's secrets (" + why + "); the evidence records isolation: none")));
      if (!secrets.tooShortToRedact().isEmpty()) {
        listener.on(new ReleaseEvent.Notice("WARNING: " + String.join(", ", new TreeSet<>(secrets.tooShortToRedact()))
            + " holds fewer than " + Secrets.MIN_REDACTED + " characters: kept from the project's commands, but not redacted from output"));
      }
    }

    /** Starts the stages as they become ready and decides each as it comes back, until none is running. */
    private void runStages() {
      AtomicInteger threads = new AtomicInteger();
      ExecutorService pool = Executors.newCachedThreadPool(runnable -> daemon(runnable, "releasegate-stage-" + threads.incrementAndGet()));
      try {
        while (true) {
          if (stopCause == null) {
            startReady(pool);
          }
          if (running.isEmpty()) {
            break;
          }
          Message message = next();
          if (message == null) {
            abandonRunning();
            break;
          }
          if (message instanceof Stop) {
            stopAll(StopCause.SIGNAL, "releasegate was asked to stop");
          } else if (message instanceof Overdue) {
            stopOverdue();
          } else {
            StageAttempt.Outcome outcome = ((Finished) message).outcome();
            decide(outcome, running.remove(outcome.index()));
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /** The next message; null when stopped stages did not come back within the grace period. */
    private Message next() {
      try {
        if (stopCause == null) {
          long due = running.values().stream().mapToLong(StageAttempt::deadline).min().orElseThrow();
          Message message = inbox.poll(Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
          return message != null ? message : new Overdue();
        }
        return inbox.poll(Math.max(0, stopDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        // Only the run's own executor interrupts this thread, when the JVM is going down.
        return null;
      }
    }

    private void decideReusedAndSkipped() {
      build.ifPresent(outputs -> this.outputs.put(Outputs.BUILD, outputs));
      Map<String, StageEntry> reused = new HashMap<>();
      resumption.ifPresent(earlier -> {
        earlier.reused().forEach(entry -> reused.put(entry.name(), entry));
        outputs.putAll(earlier.outputs());
        earlier.statements().forEach(statement -> statements[indexOf(statement.stage())] = statement);
        listener.on(new ReleaseEvent.Notice("resuming run " + earlier.previousRunId() + ": reusing the signed statements of "
            + (reused.isEmpty() ? "no stage" : String.join(", ", earlier.reused().stream().map(StageEntry::name).toList()))));
      });
      for (int i = 0; i < stages.size(); i++) {
        StageEntry entry = reused.get(stages.get(i).name());
        if (entry != null) {
          record(i, new Decision(entry.reusedFrom(resumption.get().previousRunId()), Optional.empty()));
        } else if (skip.contains(stages.get(i).name())) {
          record(i, skipped(stages.get(i), EvidenceVerifier.SKIPPED_ON_PURPOSE));
        } else if (dryRun() && stages.get(i).kind() == StageKind.PUBLISHER) {
          record(i, skipped(stages.get(i), EvidenceVerifier.NOT_RUN_IN_DRY_RUN));
        }
      }
    }

    private int indexOf(String stageName) {
      for (int i = 0; i < stages.size(); i++) {
        if (stages.get(i).name().equals(stageName)) {
          return i;
        }
      }
      throw new IllegalArgumentException("no stage " + stageName);
    }

    /** Starts every stage whose predecessors all passed (or were skipped with --skip). */
    private void startReady(ExecutorService pool) {
      for (int i = 0; i < stages.size(); i++) {
        if (decided[i] != null || running.containsKey(i) || !ready(i)) {
          continue;
        }
        StageDeclaration stage = stages.get(i);
        List<SignedStatement> earlier = new ArrayList<>();
        for (SignedStatement statement : statements) {
          if (statement != null) {
            earlier.add(statement);
          }
        }
        RunContext context = new RunContext(stage.name(), state, bundle.artifacts(stage.name()), outputs, earlier);
        listener.on(new ReleaseEvent.StageStarted(stage.name(), stage.type(), i + 1, stages.size()));
        StageAttempt attempt = new StageAttempt(i, stage);
        running.put(i, attempt);
        pool.execute(() -> inbox.add(new Finished(attempt.run(context, clock))));
      }
    }

    private boolean ready(int index) {
      for (int before : graph.predecessors(index)) {
        Decision decision = decided[before];
        if (decision == null) {
          return false;
        }
        StageStatus status = decision.entry().status();
        boolean skippedOnPurpose = status == StageStatus.SKIPPED
            && (skip.contains(decision.entry().name()) || decision.entry().reason().equals(Optional.of(EvidenceVerifier.NOT_RUN_IN_DRY_RUN)));
        if (status != StageStatus.PASSED && !skippedOnPurpose) {
          return false;
        }
      }
      return true;
    }

    /** Stops every running stage and starts nothing new. */
    private void stopAll(StopCause cause, String reason) {
      if (stopCause == null) {
        stopCause = cause;
        stopReason = reason;
        stopDeadline = System.nanoTime() + STOP_GRACE.toNanos();
      }
      running.values().forEach(stage -> stage.stop(cause));
    }

    /** Stops the stages past their deadline, which fails the run: the others are cancelled. */
    private void stopOverdue() {
      long now = System.nanoTime();
      for (Map.Entry<Integer, StageAttempt> stage : running.entrySet()) {
        if (stage.getValue().deadline() <= now) {
          stage.getValue().stop(StopCause.DEADLINE);
          stopAll(StopCause.FAILURE, "stage '" + stages.get(stage.getKey()).name() + "' " + stage.getValue().overdue());
        }
      }
    }

    /** Stages that did not stop within the grace period are recorded as stopped, and left behind. */
    private void abandonRunning() {
      for (StageAttempt stage : new ArrayList<>(running.values())) {
        decide(stage.abandoned(clock.instant(), STOP_GRACE), stage);
      }
      running.clear();
    }

    /** Turns what a stage did into its status, signs its statement and records it. */
    private void decide(StageAttempt.Outcome attempt, StageAttempt how) {
      int index = attempt.index();
      StageDeclaration stage = stages.get(index);
      StageResult result = attempt.result();
      StageVerdict verdict = StageVerdict.of(attempt, how, stopReason).redacted(secrets::redact).naming(writtenSoFar(attempt.writes()));
      redactArtifacts(stage.name());
      List<String> details = result == null ? List.of() : result.details().stream().map(secrets::redact).toList();
      List<String> warnings = result == null ? List.of() : result.warnings().stream().map(secrets::redact).toList();
      warnings.forEach(warning -> listener.on(new ReleaseEvent.StageWarning(stage.name(), warning)));
      Signed signed = sign(index, verdict, result);
      boolean passed = verdict.status() == StageStatus.PASSED;
      long durationMs = Duration.between(attempt.start(), attempt.end()).toMillis();
      StageEntry entry = new StageEntry(stage.name(), stage.type(), stage.kind(), verdict.status(), Optional.ofNullable(verdict.reason()),
          Optional.ofNullable(verdict.failure()), Optional.of(attempt.start()), durationMs, Optional.of(signed.predicateType()),
          Optional.of(signed.file().path()), Optional.of(signed.file().sha256()), signed.artifacts(),
          passed ? RecordedOutputs.encode(result.outputs(), bundle.root()) : Json.object(), attempt.writes(), details, warnings);
      record(index, new Decision(entry, Optional.ofNullable(attempt.cause())));
      if (signed.imageIsNew()) {
        aboutTheImage();
      }
      if (verdict.status() == StageStatus.FAILED) {
        stopAll(StopCause.FAILURE, "stage '" + stage.name() + "' " + (verdict.failure() == FailureKind.REJECTED ? "rejected the release" : "failed"));
      }
    }

    /**
     * Signs the statement of a decided stage and keeps it for the stages that read earlier statements;
     * a stage that passed publishes its outputs first, so that its statement is about the image it built.
     */
    private Signed sign(int index, StageVerdict verdict, StageResult result) {
      StageDeclaration stage = stages.get(index);
      boolean passed = verdict.status() == StageStatus.PASSED;
      String predicateType = verdict.keepsPredicate() ? stage.factory().predicateType() : Statements.STAGE_ERROR_PREDICATE;
      ObjectNode predicate = verdict.keepsPredicate() ? redact(result.predicate()) : verdict.errorPredicate(stage);
      if (passed) {
        outputs.putAll(result.outputs());
      }
      boolean imageNow = outputs.containsKey(Outputs.IMAGE);
      boolean imageBefore = imageNow && !(passed && result.outputs().containsKey(Outputs.IMAGE));
      ObjectNode statement = Statements.statement(List.of(subject(imageNow)), predicateType, predicate);
      EvidenceWriter.SignedFile signed;
      List<Artifact> artifacts;
      try {
        signed = bundle.writeStatement(index + 1, stage.name(), statement);
        artifacts = bundle.listArtifacts(stage.name());
      } catch (IOException e) {
        throw new EnvironmentException("cannot write evidence to " + bundle.root() + ": " + e.getMessage(), e);
      }
      statements[index] = new SignedStatement(stage.name(), predicateType, Json.compact(signed.envelope().toJson()), imageNow, signed.sigstoreBundle());
      return new Signed(predicateType, signed, artifacts, imageNow && !imageBefore);
    }

    /** What the run wrote to the registry so far, the deciding stage's writes last. */
    private List<RegistryWrite> writtenSoFar(List<RegistryWrite> writes) {
      List<RegistryWrite> written = new ArrayList<>(allWrites());
      written.addAll(writes);
      return written;
    }

    /**
     * Rewrites every file the stage left in its artifact folder with each secret, in every form, replaced:
     * a test report or a log a command wrote itself never reaches the signed bundle with a secret in it.
     */
    private void redactArtifacts(String stageName) {
      try {
        for (Artifact artifact : bundle.listArtifacts(stageName)) {
          Path file = bundle.root().resolve(artifact.path());
          Optional<byte[]> redacted = secrets.redact(Files.readAllBytes(file));
          if (redacted.isPresent()) {
            dev.releasegate.evidence.AtomicFiles.write(file, redacted.get());
            listener.on(new ReleaseEvent.StageWarning(stageName, "a secret was found in " + artifact.path() + " and replaced with ***"));
          }
        }
      } catch (IOException e) {
        throw new EnvironmentException("cannot redact the artifacts of stage " + stageName + ": " + e.getMessage(), e);
      }
    }

    /** The predicate with every secret replaced, wherever a stage copied one into it. */
    private ObjectNode redact(ObjectNode predicate) {
      String json = new String(Json.compact(predicate), java.nio.charset.StandardCharsets.UTF_8);
      String redacted = secrets.redact(json);
      if (redacted.equals(json)) {
        return predicate;
      }
      try {
        return (ObjectNode) Json.parse(redacted.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("a redacted predicate is still JSON", e);
      }
    }

    private List<RegistryWrite> allWrites() {
      List<RegistryWrite> writes = new ArrayList<>();
      for (Decision decision : decided) {
        if (decision != null) {
          writes.addAll(decision.entry().writes());
        }
      }
      return writes;
    }

    /** Until the image exists statements are about the commit; from then on about the image digest. */
    private ObjectNode subject(boolean aboutImage) {
      return aboutImage ? RunRecord.imageSubject((ImageReference) outputs.get(Outputs.IMAGE)) : RunRecord.gitSubject(git);
    }

    /**
     * The image now exists: the statements signed before it (the tests, say) are signed again about
     * the image digest and the commit it was built from, so that they can be attached to the image and
     * every statement of a released run names its digest.
     */
    private void aboutTheImage() {
      ImageReference built = (ImageReference) outputs.get(Outputs.IMAGE);
      for (int i = 0; i < stages.size(); i++) {
        Decision decision = decided[i];
        if (decision == null || decision.entry().statement().isEmpty() || statements[i] == null || statements[i].aboutImage()) {
          continue;
        }
        String path = decision.entry().statement().get();
        try {
          ObjectNode statement = Statements.parse(DsseEnvelope.parse(Files.readAllBytes(bundle.root().resolve(path))).payload());
          statement.set("subject", Json.array().add(RunRecord.imageSubject(built)).add(RunRecord.gitSubject(git)));
          EvidenceWriter.SignedFile signed = bundle.writeStatement(i + 1, stages.get(i).name(), statement);
          statements[i] = new SignedStatement(stages.get(i).name(), statements[i].predicateType(), Json.compact(signed.envelope().toJson()),
              true, signed.sigstoreBundle());
          decided[i] = new Decision(decision.entry().withStatement(signed.path(), signed.sha256()), decision.cause());
        } catch (IOException e) {
          throw new EnvironmentException("cannot sign " + path + " again about " + built + ": " + e.getMessage(), e);
        }
      }
      journal();
    }

    private void record(int index, Decision decision) {
      decided[index] = decision;
      journal();
      listener.on(new ReleaseEvent.StageFinished(decision.entry(), Duration.ofMillis(decision.entry().durationMs()), decision.cause()));
    }

    /** Keeps the journal a --resume needs if the run is cut off before its verdict; failing to is not fatal. */
    private void journal() {
      try {
        bundle.writeJournal(Resumption.journal(runId, git, version, pipeline, entries()));
      } catch (IOException e) {
        listener.on(new ReleaseEvent.Notice("cannot write the progress journal (only resuming the run needs it): " + e.getMessage()));
      }
    }

    /** The decided stages, in pipeline order. */
    private List<StageEntry> entries() {
      List<StageEntry> entries = new ArrayList<>();
      for (Decision decision : decided) {
        if (decision != null) {
          entries.add(decision.entry());
        }
      }
      return entries;
    }

    private ReleaseResult finish(Instant startedAt) {
      List<StageEntry> entries = entries();
      ReleaseStatus status = RunRecord.statusOf(entries, dryRun());
      Optional<String> reason = RunRecord.reasonOf(entries, dryRun());
      Optional<ImageReference> built = Optional.ofNullable((ImageReference) outputs.get(Outputs.IMAGE));
      @SuppressWarnings("unchecked")
      List<String> tags = (List<String>) outputs.getOrDefault(Outputs.TAGS, List.of());
      RunRecord record = new RunRecord(
          runId, ToolVersion.get(), startedAt, git, version, allowDirty, dryRun(), pipeline.recordedLocation(projectDirectory), pipeline.sha256(),
          built, tags, entries, status, reason, ci, resumption.map(Resumption::previousRunId),
          notIsolatedBecause.isEmpty() ? RunRecord.ISOLATED : RunRecord.NOT_ISOLATED, List.of());
      try {
        // The JUnit report and the pipeline file are written before the verdict and listed in it, so
        // that they are signed too: an auditor reads the gates that were applied, not a host path. A
        // secret written into the pipeline file is redacted there as everywhere.
        byte[] junit = JUnitReport.write(EvidenceView.of(bundle.root(), record.toJson()),
            StageReaders.of(stages.stream().map(StageDeclaration::factory).toList()));
        record = record.withReports(List.of(bundle.writeReport("junit.xml", junit),
            bundle.writeReport(PIPELINE_REPORT, secrets.redact(pipeline.text()).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        bundle.finish(record, clock.instant());
      } catch (IOException e) {
        throw new EnvironmentException("cannot write the verdict to " + bundle.root() + ": " + e.getMessage(), e);
      }
      List<RegistryWrite> writes = new ArrayList<>(allWrites());
      Optional<Attachments> attachments = Optional.empty();
      if (status == ReleaseStatus.RELEASED && built.isPresent() && publishes(entries)) {
        attachments = Optional.of(attach(bundle.root(), built.get(), tags, pipeline.attach(), image.insecureRegistry(), environment, listener, writes::add));
      }
      ReleaseResult result = new ReleaseResult(
          status, image.repository(), built.map(ImageReference::digest), tags, bundle.root(), entries, writes, attachments);
      listener.on(new ReleaseEvent.RunFinished(result));
      return result;
    }
  }

  /**
   * Whether the run published anything: only then do its verdict and evidence follow the image. A
   * pipeline of gates alone leaves nothing a deployer's tool reads, its verdict included.
   */
  public static boolean publishes(List<StageEntry> stages) {
    return stages.stream().anyMatch(stage -> stage.kind() == StageKind.PUBLISHER && stage.status() == StageStatus.PASSED);
  }

  /**
   * Attaches the verdict and the evidence of a released run to its image, with the registry
   * credentials in {@code environment}; also what {@code release --resume} does for a run that was
   * released but not attached.
   */
  public static Attachments attach(
      Path bundleRoot, ImageReference built, List<String> tags, Pipeline.Attach attach, boolean insecureRegistry,
      Map<String, String> environment, ReleaseListener listener, java.util.function.Consumer<RegistryWrite> writes) {
    Secrets secrets = new Secrets(environment);
    RegistrySettings settings = new RegistrySettings(insecureRegistry, environment, line -> listener.on(new ReleaseEvent.Notice(secrets.redact(line))), writes);
    return RunAttachments.attach(bundleRoot, built, tags, attach.verdict(), attach.evidence(), settings, message -> listener.on(new ReleaseEvent.Notice(message)));
  }

  private static Decision skipped(StageDeclaration stage, String reason) {
    return new Decision(
        new StageEntry(stage.name(), stage.type(), stage.kind(), StageStatus.SKIPPED, Optional.of(reason), Optional.empty(), Optional.empty(), 0,
            Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Json.object(), List.of(), List.of(), List.of()),
        Optional.empty());
  }
}
