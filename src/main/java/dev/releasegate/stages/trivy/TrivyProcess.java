package dev.releasegate.stages.trivy;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.process.StageLog;
import dev.releasegate.process.Subprocess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.StageContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Trivy as the stage runs it: the executable found once, an environment it cannot be steered by, and
 * the scan and version commands, each with the stage's timeout and a redacted log. It only runs trivy;
 * what trivy wrote is {@link TrivyOutput}'s to read.
 */
final class TrivyProcess {
  private static final int STDERR_TAIL_LINES = 3;
  private static final int STDERR_TAIL_CHARS = 800;

  private final TrivyOptions options;
  private final String executable;
  private final Map<String, String> environment;
  private final Optional<String> cacheDir;

  /**
   * One scan as it ran.
   *
   * @param scan and {@code versionCommand}: the command lines, unredacted
   * @param report and {@code log}: the files the scan wrote among the stage's artifacts
   * @param versionOutput what {@code trivy --version --format json} printed
   */
  record Run(List<String> scan, List<String> versionCommand, Path report, Path log, Instant started, Instant finished,
      byte[] versionOutput) {

    Run {
      scan = List.copyOf(scan);
      versionCommand = List.copyOf(versionCommand);
      versionOutput = versionOutput.clone();
    }

    @Override
    public byte[] versionOutput() {
      return versionOutput.clone();
    }
  }

  private TrivyProcess(TrivyOptions options, String executable, Map<String, String> environment, Optional<String> cacheDir) {
    this.options = options;
    this.executable = executable;
    this.environment = environment;
    this.cacheDir = cacheDir;
  }

  /** Finds trivy and prepares its environment; warns of the {@code TRIVY_} variables it leaves out. */
  static TrivyProcess prepare(StageContext context, TrivyOptions options, List<String> warnings) {
    Map<String, String> environment = environment(context, warnings);
    String executable = locate(context, options, environment);
    Optional<String> cacheDir = options.cacheDir()
        .map(dir -> context.projectDirectory().toAbsolutePath().resolve(dir).normalize().toString());
    return new TrivyProcess(options, executable, environment, cacheDir);
  }

  /** Scans {@code target} into trivy.json, then asks trivy for its version and DB; logs both to trivy.log. */
  Run scan(StageContext context, ScanTarget target) throws IOException, InterruptedException {
    Path directory = context.artifacts().directory();
    Path report = directory.resolve("trivy.json");
    // A report left by an earlier attempt must not be read as this scan's when trivy writes none.
    Files.deleteIfExists(report);
    Path modules = Files.createTempDirectory("releasegate-trivy-modules");
    List<String> scan = new TrivyCommand.Scan(executable, target.subcommand(), report.toString(), target.insecure(), cacheDir,
        options.skipDbUpdate(), options.skipJavaDbUpdate(), options.offlineScan(), options.offline() || options.noTelemetry(),
        modules.toString(), options.extraArgs(), target.target(), target.layout().isPresent()).argv();
    Path logFile = directory.resolve("trivy.log");
    ByteArrayOutputStream versionOutput = new ByteArrayOutputStream();
    List<String> versionCommand = TrivyCommand.version(executable, cacheDir);
    try (StageLog log = StageLog.open(context, logFile)) {
      context.progress("scanning " + target.target() + " with trivy");
      Instant started = context.clock().instant();
      execute(scan, directory, log, null);
      Instant finished = context.clock().instant();
      // After the scan, so that a DB trivy downloaded for it is the one reported.
      execute(versionCommand, directory, log, versionOutput);
      return new Run(scan, versionCommand, report, logFile, started, finished, versionOutput.toByteArray());
    } finally {
      Files.deleteIfExists(modules);
    }
  }

  /**
   * The run's environment without any {@code TRIVY_} variable: trivy reads every flag from one, so
   * they could filter findings behind the pipeline file's back. The registry credentials of the
   * release go in the way trivy reads them ({@code TRIVY_USERNAME}, {@code TRIVY_PASSWORD}) and are
   * redacted like every other secret.
   */
  private static Map<String, String> environment(StageContext context, List<String> warnings) {
    Map<String, String> environment = new HashMap<>(context.environment());
    Set<String> removed = new TreeSet<>();
    environment.keySet().removeIf(name -> name.startsWith("TRIVY_") && removed.add(name));
    if (!removed.isEmpty()) {
      warnings.add("ignored " + String.join(", ", removed) + " from the environment: the stage sets trivy's flags itself");
    }
    Optional<String> username = Optional.ofNullable(environment.get(RegistrySettings.USERNAME_VARIABLE));
    Optional<String> password = context.secret(RegistrySettings.PASSWORD_VARIABLE);
    if (username.isPresent() && password.isPresent()) {
      environment.put("TRIVY_USERNAME", username.get());
      environment.put("TRIVY_PASSWORD", password.get());
    }
    return environment;
  }

  private static String locate(StageContext context, TrivyOptions options, Map<String, String> environment) {
    Optional<String> configured = options.path();
    if (configured.isPresent()) {
      Path path = context.projectDirectory().toAbsolutePath().resolve(configured.get()).normalize();
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new EnvironmentException("trivy not found at " + path + " (with.path)");
      }
      return path.toString();
    }
    return Subprocess.findExecutable("trivy", environment)
        .orElseThrow(() -> new EnvironmentException("trivy not found on PATH; install it or set with.path"))
        .toString();
  }

  /**
   * Runs one trivy command: stderr (and stdout, unless captured) streamed to the display and the log,
   * redacted. A timeout or a non-zero exit means trivy could not do its job, not a verdict.
   */
  private void execute(List<String> argv, Path directory, StageLog log, OutputStream capture) throws InterruptedException {
    StderrTail tail = new StderrTail();
    Subprocess.Result result = Subprocess.of(argv)
        .directory(directory)
        .environment(environment)
        .timeout(options.timeout())
        .stdout(capture != null ? capture : Subprocess.lineStream(log::line))
        .stderr(Subprocess.lineStream(line -> tail.add(log.line(line))))
        .run();
    String shown = "trivy " + argv.get(1);
    if (result.timedOut()) {
      throw new EnvironmentException(shown + " did not finish within " + options.timeout().toSeconds() + " s (timeoutSeconds)");
    }
    if (result.exitCode() != 0) {
      String text = tail.text();
      throw new EnvironmentException(shown + " exited with " + result.exitCode() + ": "
          + (text.isEmpty() ? "no output on stderr" : text));
    }
  }

  /** The last non-blank stderr lines as shown, redacted: trivy's own words for why it failed. */
  private static final class StderrTail {
    private final Deque<String> lines = new ArrayDeque<>();

    /** Called from the stderr pump thread; read once the command has ended. */
    synchronized void add(String shown) {
      if (!shown.isBlank()) {
        lines.addLast(shown);
        if (lines.size() > STDERR_TAIL_LINES) {
          lines.removeFirst();
        }
      }
    }

    synchronized String text() {
      String text = String.join(" | ", lines);
      return text.length() > STDERR_TAIL_CHARS ? "…" + text.substring(text.length() - STDERR_TAIL_CHARS) : text;
    }
  }
}
