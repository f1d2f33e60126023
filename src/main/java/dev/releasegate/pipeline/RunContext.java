package dev.releasegate.pipeline;

import dev.releasegate.api.ReleaseEvent;
import dev.releasegate.api.ReleaseListener;
import dev.releasegate.spi.ArtifactStore;
import dev.releasegate.spi.CiRun;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.Signer;
import dev.releasegate.spi.StageContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link StageContext} of one stage; shares the run's facts and outputs. */
final class RunContext implements StageContext {
  private final String stageName;
  private final RunState run;
  private final ArtifactStore artifacts;

  RunContext(String stageName, RunState run, ArtifactStore artifacts) {
    this.stageName = stageName;
    this.run = run;
    this.artifacts = artifacts;
  }

  /** Facts shared by every stage of one run. */
  record RunState(
      String runId,
      Path projectDirectory,
      GitFacts git,
      String version,
      ImageSettings image,
      PipelineSource pipeline,
      Map<OutputKey<?>, Object> outputs,
      Secrets secrets,
      ReleaseListener listener,
      Clock clock,
      Signer signer,
      List<SignedStatement> statements,
      Optional<CiRun> ci) {}

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
    return Optional.ofNullable(run.outputs().get(key)).map(key.type()::cast);
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
    return List.copyOf(run.statements());
  }

  @Override
  public Map<String, String> environment() {
    return run.secrets().subprocessEnvironment();
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
  public void output(String line) {
    run.listener().on(new ReleaseEvent.StageOutput(stageName, redact(line)));
  }

  @Override
  public Clock clock() {
    return run.clock();
  }
}
