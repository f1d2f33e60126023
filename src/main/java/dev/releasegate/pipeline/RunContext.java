package dev.releasegate.pipeline;

import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.process.Sandbox;
import dev.releasegate.spi.ArtifactStore;
import dev.releasegate.spi.CiRun;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.Signer;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link StageContext} of one stage: the run's facts, and the outputs and statements of the stages
 * decided when it started. Stages run on threads of their own, so nothing here changes under them but
 * the list of what they wrote.
 */
final class RunContext implements StageContext {
  private final String stageName;
  private final RunState run;
  private final ArtifactStore artifacts;
  private final Map<OutputKey<?>, Object> outputs;
  private final List<SignedStatement> statements;
  private final List<RegistryWrite> writes = new CopyOnWriteArrayList<>();

  RunContext(String stageName, RunState run, ArtifactStore artifacts, Map<OutputKey<?>, Object> outputs, List<SignedStatement> statements) {
    this.stageName = stageName;
    this.run = run;
    this.artifacts = artifacts;
    this.outputs = Map.copyOf(outputs);
    this.statements = List.copyOf(statements);
  }

  /** Facts shared by every stage of one run. */
  record RunState(
      String runId,
      Path projectDirectory,
      GitFacts git,
      String version,
      ImageSettings image,
      PipelineSource pipeline,
      Secrets secrets,
      ReleaseListener listener,
      Clock clock,
      Signer signer,
      Optional<CiRun> ci,
      Sandbox sandbox,
      Optional<Path> imageLayout) {}

  @Override
  public String stageName() {
    return stageName;
  }

  @Override
  public String runId() {
    return run.runId();
  }

  @Override
  public Path projectDirectory() {
    return run.projectDirectory();
  }

  @Override
  public Optional<Path> dryRunImageLayout() {
    return run.imageLayout();
  }

  @Override
  public GitFacts git() {
    return run.git();
  }

  @Override
  public String version() {
    return run.version();
  }

  @Override
  public ImageSettings image() {
    return run.image();
  }

  @Override
  public Optional<CiRun> ci() {
    return run.ci();
  }

  @Override
  public PipelineSource pipeline() {
    return run.pipeline();
  }

  @Override
  public <T> T output(OutputKey<T> key) {
    return findOutput(key).orElseThrow(() ->
        new IllegalStateException("stage '" + stageName + "' needs output '" + key.name() + "', which no earlier stage produced"));
  }

  @Override
  public <T> Optional<T> findOutput(OutputKey<T> key) {
    return Optional.ofNullable(outputs.get(key)).map(key.type()::cast);
  }

  @Override
  public ArtifactStore artifacts() {
    return artifacts;
  }

  @Override
  public Signer signer() {
    return run.signer();
  }

  @Override
  public List<SignedStatement> statements() {
    return statements;
  }

  @Override
  public void recordWrite(RegistryWrite write) {
    writes.add(write);
  }

  /** What the stage wrote to registries so far. */
  List<RegistryWrite> writes() {
    return List.copyOf(writes);
  }

  @Override
  public Map<String, String> environment() {
    return run.secrets().subprocessEnvironment();
  }

  @Override
  public List<String> sandbox() {
    return run.sandbox().prefix();
  }

  @Override
  public Optional<String> secretIn(InputStream content) throws IOException {
    return run.secrets().find(content);
  }

  @Override
  public Optional<String> secret(String environmentVariable) {
    return Optional.ofNullable(run.secrets().read(environmentVariable));
  }

  @Override
  public String redact(String text) {
    return run.secrets().redact(text);
  }

  @Override
  public void progress(String message) {
    run.listener().on(new ReleaseEvent.StageProgress(stageName, redact(message)));
  }

  @Override
  public void log(String line) {
    run.listener().on(new ReleaseEvent.StageOutput(stageName, redact(line)));
  }

  @Override
  public Clock clock() {
    return run.clock();
  }
}
