package dev.releasegate.testing;

import dev.releasegate.base.ImageReference;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.evidence.EvidenceWriter;
import dev.releasegate.pipeline.PipelineLoader;
import dev.releasegate.pipeline.StageDeclaration;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.spi.ArtifactStore;
import dev.releasegate.spi.CiRun;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.Signer;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stage's context without a run: a project folder, fixed git facts and clock, outputs put in by hand,
 * artifacts in a real (throw-away) bundle folder, and every log line, progress line and registry write
 * kept for the test to read. It runs the project's commands unsandboxed, as a release does where
 * namespaces are not allowed. Secrets are the values given to {@link #secret(String, String)} and the
 * variables a stage reads with {@link #secret(String)}. The clock stands still at {@link #NOW}, so that
 * dates a stage compares (waiver expiry, DB age) are the test's.
 *
 * <pre>
 * FakeStageContext context = FakeStageContext.in(work, "check");
 * StageResult result = FakeStageContext.stage(work.resolve("pipeline"), "{name: check, uses: exec, with: {command: [\"true\"]}}").run(context);
 * </pre>
 */
public final class FakeStageContext implements StageContext {
  /** The instant of {@link #clock()} and of the commit in {@link #GIT}. */
  public static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  public static final GitFacts GIT = new GitFacts("0123456789abcdef0123456789abcdef01234567", "0123456", NOW,
      Optional.of("https://example.com/acme/service.git"), Optional.of("v1.0.0"), List.of());

  private final Path project;
  private final EvidenceWriter bundle;
  private final Signer signer;
  private final Map<OutputKey<?>, Object> outputs = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>(System.getenv());
  private final Map<String, String> secrets = new HashMap<>();
  private final List<SignedStatement> statements = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final List<String> progress = new ArrayList<>();
  private final List<RegistryWrite> writes = new ArrayList<>();
  private String stageName = "stage";
  private ImageSettings image = new ImageSettings(Optional.empty(), Optional.empty(), Map.of(), false);
  private Optional<Path> dryRunLayout = Optional.empty();

  /** A context for a stage of {@code project}, whose artifacts go into the bundle folder {@code bundle}. */
  public FakeStageContext(Path project, Path bundle) {
    this.project = project;
    try {
      Files.createDirectories(bundle);
      DsseSigner envelopes = new DsseSigner(new KeySigner(CosignKeyFile.generate()));
      this.signer = envelopes.signer();
      this.bundle = EvidenceWriter.create(bundle, envelopes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A context for stage {@code stageName} in a throw-away {@code folder}: the project is {@code folder/project}
   * (created empty), the bundle {@code folder/bundle}, and HOME is {@code folder}, so that nothing reads or
   * writes the user's own (registry logins, tag locks).
   */
  public static FakeStageContext in(Path folder, String stageName) {
    try {
      Path project = Files.createDirectories(folder.resolve("project"));
      return new FakeStageContext(project, folder.resolve("bundle")).stageName(stageName).environment("HOME", folder.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The last stage a pipeline file of these stages declares, e.g. {@code "{name: check, uses: exec, with: {command: [\"true\"]}}"}:
   * its options validated and completed with their defaults, exactly as a release reads them. Stages
   * before it only satisfy the validator (e.g. {@code "{name: build, uses: fake-image}"} for a stage
   * that needs an image); they do not run, so put the outputs it reads into the context by hand.
   *
   * @throws dev.releasegate.pipeline.PipelineException the validator's problems with the pipeline
   */
  public static Stage stage(Path folder, String... declarations) {
    try {
      Files.createDirectories(folder);
      Path file = Files.writeString(folder.resolve("stage.yaml"),
          "apiVersion: releasegate/v1\nstages:\n  - " + String.join("\n  - ", declarations) + "\n");
      List<StageDeclaration> stages = PipelineLoader.load(Optional.of(file), folder, StageTypes.load()).stages();
      StageDeclaration stage = stages.get(stages.size() - 1);
      return stage.factory().create(stage.options());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FakeStageContext stageName(String name) {
    this.stageName = name;
    return this;
  }

  public <T> FakeStageContext output(OutputKey<T> key, T value) {
    outputs.put(key, value);
    return this;
  }

  public FakeStageContext image(ImageSettings settings) {
    this.image = settings;
    return this;
  }

  /**
   * The image an earlier stage published (output {@code image}) in the pipeline's image.repository,
   * with {@code insecureRegistry} as {@code --insecure-registry} sets it.
   */
  public FakeStageContext image(ImageReference published, boolean insecureRegistry) {
    output(Outputs.IMAGE, published);
    return image(new ImageSettings(Optional.of(published.repository()), Optional.empty(), Map.of(), insecureRegistry));
  }

  /** A dry run: the stage that builds the image keeps it in {@code layout}, and nothing is written to a registry. */
  public FakeStageContext dryRun(Path layout) {
    this.dryRunLayout = Optional.of(layout);
    return this;
  }

  public FakeStageContext environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** The whole environment subprocesses see, instead of this process's. */
  public FakeStageContext environment(Map<String, String> all) {
    environment.clear();
    environment.putAll(all);
    return this;
  }

  /** A secret of the run: not in the subprocess environment, read through {@link #secret(String)}, redacted wherever it is echoed. */
  public FakeStageContext secret(String name, String value) {
    secrets.put(name, value);
    return this;
  }

  /** A statement of a stage decided before this one. */
  public FakeStageContext statement(SignedStatement statement) {
    statements.add(statement);
    return this;
  }

  /** The lines the stage logged, redacted as the display would show them. */
  public List<String> logged() {
    return List.copyOf(log);
  }

  public List<String> progressed() {
    return List.copyOf(progress);
  }

  public List<RegistryWrite> writes() {
    return List.copyOf(writes);
  }

  /** An artifact the stage wrote, read back. */
  public String artifact(String name) {
    try {
      return Files.readString(artifacts().directory().resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String stageName() {
    return stageName;
  }

  @Override
  public String runId() {
    return "00000000-0000-4000-8000-000000000000";
  }

  @Override
  public Path projectDirectory() {
    return project;
  }

  @Override
  public Optional<Path> dryRunImageLayout() {
    return dryRunLayout;
  }

  @Override
  public GitFacts git() {
    return GIT;
  }

  @Override
  public String version() {
    return "1.0.0";
  }

  @Override
  public ImageSettings image() {
    return image;
  }

  @Override
  public Optional<CiRun> ci() {
    return Optional.empty();
  }

  @Override
  public PipelineSource pipeline() {
    return new PipelineSource("releasegate.yaml", "0".repeat(64));
  }

  @Override
  public <T> T output(OutputKey<T> key) {
    return findOutput(key).orElseThrow(() -> new IllegalStateException("no output " + key.name() + " was put into the fake context"));
  }

  @Override
  public <T> Optional<T> findOutput(OutputKey<T> key) {
    return Optional.ofNullable(outputs.get(key)).map(key.type()::cast);
  }

  /** The folder of the stage's current name in the bundle, {@code artifacts/<stage>/}, as in a release. */
  @Override
  public ArtifactStore artifacts() {
    return bundle.artifacts(stageName);
  }

  @Override
  public Signer signer() {
    return signer;
  }

  @Override
  public List<SignedStatement> statements() {
    return List.copyOf(statements);
  }

  @Override
  public Map<String, String> environment() {
    Map<String, String> withoutSecrets = new HashMap<>(environment);
    withoutSecrets.keySet().removeAll(secrets.keySet());
    return Map.copyOf(withoutSecrets);
  }

  @Override
  public List<String> sandbox() {
    return List.of();
  }

  @Override
  public Optional<String> secretIn(InputStream content) throws IOException {
    String text = new String(content.readAllBytes(), StandardCharsets.UTF_8);
    return secrets.entrySet().stream().filter(secret -> text.contains(secret.getValue())).map(Map.Entry::getKey).findFirst();
  }

  @Override
  public Optional<String> secret(String environmentVariable) {
    // As in a release: a variable read as a secret is redacted, and kept from subprocesses, from then on.
    secrets.computeIfAbsent(environmentVariable, environment::get);
    return Optional.ofNullable(secrets.get(environmentVariable));
  }

  @Override
  public String redact(String text) {
    String redacted = text;
    for (String value : secrets.values()) {
      redacted = redacted.replace(value, "***");
    }
    return redacted;
  }

  @Override
  public void recordWrite(RegistryWrite write) {
    writes.add(write);
  }

  @Override
  public void progress(String message) {
    progress.add(redact(message));
  }

  @Override
  public void log(String line) {
    log.add(redact(line));
  }

  @Override
  public Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }
}
