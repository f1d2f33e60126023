package dev.releasegate.spi;

import dev.releasegate.base.RegistryWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything a stage may know about the run. Stages get facts from here, never from globals. */
public interface StageContext {

  /** This stage's name in the pipeline. */
  String stageName();

  /** A unique id of this release run, shared by every statement. */
  String runId();

  Path projectDirectory();

  /**
   * In a dry run ({@code release --dry-run}), the folder where the stage that builds the image puts it,
   * as an OCI image layout, instead of the registry; it does not exist yet. Empty in a release. A dry
   * run writes nothing to a registry: publishers do not run, and a stage that reads the image reads
   * {@link Outputs#IMAGE_LAYOUT} when an earlier stage produced it.
   */
  Optional<Path> dryRunImageLayout();

  GitFacts git();

  /** The release version, from {@code --version} or the tag on HEAD. */
  String version();

  ImageSettings image();

  /** The CI run this release happens in, if any (GitHub Actions, Jenkins). */
  java.util.Optional<CiRun> ci();

  /** The pipeline file as a resource: where it came from and its sha256. */
  PipelineSource pipeline();

  /** An output an earlier stage produced; validation guarantees the outputs a stage requires. */
  <T> T output(OutputKey<T> key);

  <T> Optional<T> findOutput(OutputKey<T> key);

  ArtifactStore artifacts();

  /** The run's signing key, for stages that sign artifacts. */
  Signer signer();

  /** The statements of the stages decided before this one started, in pipeline order. */
  java.util.List<SignedStatement> statements();

  /**
   * The environment for subprocesses: this process's environment without the secrets releasegate
   * itself holds (key and registry passwords).
   */
  Map<String, String> environment();

  /**
   * The arguments that run one of the project's commands apart from the release's secrets (its own PID
   * and mount namespaces, no key or credential file), up to and including {@code --}; empty where the
   * platform allows no isolation, which the evidence then records. {@code process.StageCommand} uses it.
   */
  List<String> sandbox();

  /**
   * Which secret of the run, in which form (literal, base64, hex, URL-encoded), {@code content} holds,
   * as a variable name and form; never the value. The stream is read to its end and not closed.
   */
  Optional<String> secretIn(InputStream content) throws IOException;

  /** Reads a secret from the environment and makes sure it is redacted wherever it is echoed. */
  Optional<String> secret(String environmentVariable);

  /** Replaces every secret known to the run with {@code ***}. */
  String redact(String text);

  /**
   * Records a manifest this stage put into a registry, so that the evidence and the messages of a run
   * that fails after it say exactly what was written and how to take it back. The registry client of
   * the built-in stages records its writes itself.
   */
  void recordWrite(RegistryWrite write);

  /** A short status line for the human display, e.g. "uploading layer 2/4". */
  void progress(String message);

  /**
   * One line for the stage's log on the human display: a subprocess's output, a tool's message. Redacted
   * here. (Not {@link #output(OutputKey)}, which reads what an earlier stage produced.)
   */
  void log(String line);

  Clock clock();

  /**
   * Where the pipeline came from.
   *
   * @param location a path, or {@code builtin:release.yaml}
   * @param sha256 hex digest of the file bytes
   */
  record PipelineSource(String location, String sha256) {}
}
