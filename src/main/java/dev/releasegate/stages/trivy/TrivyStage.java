package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.image.OciLayout;
import dev.releasegate.process.ProjectPaths;
import dev.releasegate.process.StageLog;
import dev.releasegate.process.Subprocess;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.trivy.Waivers.Waiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Runs trivy on the image digest (or its SBOM), reads the JSON report strictly, applies the policy and
 * records report, SARIF and decision. Anything that keeps it from reading a trustworthy report about
 * this digest fails the stage; it never passes on a scan it could not read.
 */
final class TrivyStage implements Stage {
  /** Blocking findings listed one per line in the stage's details. */
  static final int MAX_DETAILS = 10;
  /** Blocking findings named in the one-line summary. */
  static final int MAX_SUMMARY = 5;
  /** Past this many blocking findings the statement keeps the count only; the report has them all. */
  static final int MAX_RECORDED = 1000;
  private static final int STDERR_TAIL_LINES = 3;
  private static final int STDERR_TAIL_CHARS = 800;

  private final TrivyOptions options;

  TrivyStage(TrivyOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    boolean sbomMode = options.sbomMode();
    Set<Severity> failOn = EnumSet.copyOf(options.failOn());
    List<String> warnings = new ArrayList<>();

    try {
      // Invalid input first: a bad waivers file is the user's to fix, whatever trivy would say.
      Optional<WaiversFile> waiversFile = readWaivers(context);
      Map<String, String> environment = environment(context, warnings);
      String executable = locate(context, environment);
      Optional<String> cacheDir = options.cacheDir()
          .map(dir -> context.projectDirectory().toAbsolutePath().resolve(dir).normalize().toString());
      // In a dry run the image is on this machine only, in the OCI layout the build kept it in.
      Optional<Path> layout = sbomMode ? Optional.empty() : context.findOutput(Outputs.IMAGE_LAYOUT);
      String target = sbomMode ? sbomFile(context) : layout.map(Path::toString).orElse(image.toString());
      boolean insecure = !sbomMode && layout.isEmpty() && insecure(context, image, warnings);

      Path directory = context.artifacts().directory();
      Path reportFile = directory.resolve("trivy.json");
      // A report left by an earlier attempt must not be read as this scan's when trivy writes none.
      Files.deleteIfExists(reportFile);
      Path modules = Files.createTempDirectory("releasegate-trivy-modules");
      List<String> scan = new TrivyCommand.Scan(executable, sbomMode ? "sbom" : "image", reportFile.toString(), insecure, cacheDir,
          options.skipDbUpdate(), options.skipJavaDbUpdate(), options.offlineScan(), options.offline() || options.noTelemetry(),
          modules.toString(), options.extraArgs(), target, layout.isPresent()).argv();
      Duration timeout = options.timeout();
      Path logFile = directory.resolve("trivy.log");
      Instant started;
      Instant finished;
      ByteArrayOutputStream versionOutput = new ByteArrayOutputStream();
      List<String> versionCommand = TrivyCommand.version(executable, cacheDir);
      try (StageLog log = StageLog.open(context, logFile)) {
        context.progress("scanning " + target + " with trivy");
        started = context.clock().instant();
        execute(scan, environment, directory, timeout, log, null);
        finished = context.clock().instant();
        // After the scan, so that a DB trivy downloaded for it is the one reported.
        execute(versionCommand, environment, directory, timeout, log, versionOutput);
      } finally {
        Files.deleteIfExists(modules);
      }

      String shownReport = "artifacts/" + context.stageName() + "/trivy.json";
      byte[] raw;
      try {
        raw = Files.readAllBytes(reportFile);
      } catch (NoSuchFileException e) {
        throw new EnvironmentException("trivy exited with 0 but wrote no report to " + shownReport);
      }
      TrivyReport report;
      try {
        report = TrivyReport.parse(raw);
      } catch (IOException e) {
        throw new EnvironmentException("cannot read trivy report " + shownReport + ": " + e.getMessage(), e);
      }
      if (layout.isPresent()) {
        checkSubject(report, image, layout.get());
      } else {
        checkSubject(report, image);
      }
      Optional<byte[]> withoutSecrets = ReportSecrets.removed(raw);
      if (withoutSecrets.isPresent()) {
        Files.write(reportFile, withoutSecrets.get());
        warnings.add("the image config holds secrets (see the readiness lint); " + shownReport + " keeps a marker in their place");
      }

      byte[] versionBytes = versionOutput.toByteArray();
      Artifact versionArtifact = context.artifacts().write("trivy-version.json", versionBytes);
      TrivyVersion version;
      try {
        version = TrivyVersion.parse(versionBytes);
      } catch (IOException e) {
        throw new EnvironmentException("cannot read the output of trivy --version --format json: " + e.getMessage(), e);
      }
      if (version.version().equals("dev") || version.version().isBlank()) {
        warnings.add("trivy reports its version as '" + version.version() + "': the evidence cannot name the scanner that decided; "
            + "use a released trivy (or build it with -ldflags -X github.com/aquasecurity/trivy/pkg/version/app.ver=VERSION)");
      }
      ObjectNode db = database(context, version, warnings);

      LocalDate today = LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC);
      List<Waiver> waivers = waiversFile.map(WaiversFile::waivers).orElse(List.of());
      Gate gate = Gate.evaluate(report.findings(), failOn, options.ignoreUnfixed(), waivers, today);
      for (Waiver expired : gate.expiredWaivers()) {
        warnings.add("waiver for " + expired.label() + " expired on " + expired.expires() + "; it no longer applies");
      }
      if (report.secrets() + report.misconfigurations() > 0) {
        warnings.add("trivy also reported " + report.secrets() + " secret(s) and " + report.misconfigurations()
            + " misconfiguration(s); this gate decides on vulnerabilities only");
      }

      Artifact sarif = context.artifacts().write("trivy.sarif", Json.pretty(Sarif.build(report, gate, image, version.version())));
      List<Artifact> evidence = new ArrayList<>();
      evidence.add(context.artifacts().describe(reportFile));
      evidence.add(sarif);
      evidence.add(context.artifacts().describe(logFile));
      evidence.add(versionArtifact);
      if (waiversFile.isPresent()) {
        evidence.add(context.artifacts().write("waivers.yaml", waiversFile.get().content()));
      }

      String summary = summary(gate);
      ObjectNode predicate = predicate(context, scan, versionCommand, version, db, image, target, sbomMode, report,
          gate, summary, waiversFile, evidence, started, finished);
      StageResult.Builder builder = gate.passed() ? StageResult.passed(summary) : StageResult.rejected(summary);
      List<Finding> blocking = gate.blocking();
      blocking.stream().limit(MAX_DETAILS).forEach(finding -> builder.detail(finding.describe()));
      if (blocking.size() > MAX_DETAILS) {
        builder.detail("and " + (blocking.size() - MAX_DETAILS) + " more blocking findings in " + shownReport);
      }
      warnings.forEach(builder::warning);
      return builder.predicate(predicate).build();
    } catch (IOException e) {
      throw new EnvironmentException("trivy stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  /** The waivers file as read, with its bytes so that the evidence keeps exactly what was applied. */
  private record WaiversFile(String name, byte[] content, List<Waiver> waivers) {}

  private Optional<WaiversFile> readWaivers(StageContext context) throws IOException {
    Optional<String> name = options.waivers();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Path file = ProjectPaths.inside(context.projectDirectory(), name.get(), "waivers");
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("waivers file " + name.get() + " not found in the project");
    }
    byte[] content = Files.readAllBytes(file);
    return Optional.of(new WaiversFile(name.get(), content, Waivers.parse(content, name.get())));
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

  private String locate(StageContext context, Map<String, String> environment) {
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

  private static String sbomFile(StageContext context) {
    Path sbom = context.projectDirectory().toAbsolutePath().resolve(context.output(Outputs.SBOM)).normalize();
    if (!Files.isRegularFile(sbom)) {
      throw new EnvironmentException("the SBOM " + sbom + " that an earlier stage published does not exist");
    }
    return sbom.toString();
  }

  /** {@code --insecure} (plain HTTP, no TLS checks) only when asked for and only for a loopback registry. */
  private static boolean insecure(StageContext context, ImageReference image, List<String> warnings) {
    if (!context.image().insecureRegistry()) {
      return false;
    }
    String host = RegistryAccess.hostOf(image.repository());
    if (RegistryAccess.isLoopback(host)) {
      return true;
    }
    warnings.add("--insecure-registry is not passed to trivy for " + host + ": only loopback registries are scanned without TLS");
    return false;
  }


  /**
   * The report must be about the digest we asked for. A report that names another digest is refused
   * outright; one without Results (nothing analysed) passes only when it names ours.
   */
  private static void checkSubject(TrivyReport report, ImageReference image) {
    if (report.names(image.digest())) {
      return;
    }
    Set<String> mentioned = report.mentionedDigests();
    if (!mentioned.isEmpty()) {
      throw new EnvironmentException("trivy report is about " + String.join(", ", mentioned) + ", not " + image.digest());
    }
    if (!report.hasResults()) {
      throw new EnvironmentException("trivy report has no Results and does not name " + image.digest()
          + " (ArtifactName '" + report.artifactName() + "', no matching Metadata.RepoDigests); cannot tell that the image was scanned");
    }
  }

  /**
   * A report of an OCI layout names the layout's path, not a digest: it must name the config of the
   * image the layout holds under our digest (the layout checks each blob against its digest).
   */
  private static void checkSubject(TrivyReport report, ImageReference image, Path layout) {
    String config = OciLayout.open(layout).configDigest(image.digest());
    if (!report.imageId().equals(config)) {
      throw new EnvironmentException("trivy report is about image config '" + report.imageId() + "', not " + config + " of " + image.digest()
          + " in " + layout);
    }
  }

  private ObjectNode database(StageContext context, TrivyVersion version, List<String> warnings) {
    ObjectNode db = Json.object();
    // Trivy does not say which repository its DB came from (ghcr.io, mirror.gcr.io or a mirror set
    // with --db-repository), so the URI stays empty, as in trivy's own cosign-vuln output.
    db.put("uri", "");
    if (version.db().isEmpty()) {
      db.put("version", "");
      warnings.add("trivy reports no vulnerability DB metadata; the DB age is unknown");
      return db;
    }
    TrivyVersion.Db metadata = version.db().get();
    long ageHours = Duration.between(metadata.updatedAt(), context.clock().instant()).toHours();
    db.put("version", Long.toString(metadata.schemaVersion()));
    db.put("updatedAt", metadata.updatedAt().toString());
    db.put("nextUpdate", metadata.nextUpdate());
    db.put("downloadedAt", metadata.downloadedAt());
    db.put("ageHours", ageHours);
    long maxAge = options.maxDbAgeHours();
    if (ageHours > maxAge) {
      warnings.add("trivy vulnerability DB was updated " + ageHours + " h ago (" + metadata.updatedAt()
          + "), more than maxDbAgeHours " + maxAge);
    }
    return db;
  }

  private static String summary(Gate gate) {
    List<Finding> blocking = gate.blocking();
    String policy = "(failOn " + gate.failOnText() + ")";
    if (blocking.isEmpty()) {
      return "no blocking vulnerabilities " + policy + "; found: " + Gate.countsText(gate.found())
          + "; after waivers: " + Gate.countsText(gate.remaining());
    }
    String named = blocking.stream().limit(MAX_SUMMARY).map(finding -> finding.id() + " " + finding.pkgName())
        .collect(Collectors.joining(", "));
    return blocking.size() + " blocking " + (blocking.size() == 1 ? "vulnerability " : "vulnerabilities ") + policy + ": "
        + named + (blocking.size() > MAX_SUMMARY ? ", +" + (blocking.size() - MAX_SUMMARY) + " more" : "");
  }

  /** cosign's vuln predicate: invocation, scanner {uri, version, db, result}, metadata. */
  private ObjectNode predicate(StageContext context, List<String> scan, List<String> versionCommand, TrivyVersion version,
      ObjectNode db, ImageReference image, String target, boolean sbomMode, TrivyReport report, Gate gate, String summary,
      Optional<WaiversFile> waiversFile, List<Artifact> evidence, Instant started, Instant finished) {
    ObjectNode predicate = Json.object();
    ObjectNode invocation = predicate.putObject("invocation");
    ArrayNode parameters = invocation.putArray("parameters");
    scan.forEach(argument -> parameters.add(context.redact(argument)));
    invocation.put("uri", "");
    invocation.put("event_id", context.runId());
    invocation.put("builder.id", "releasegate@" + ToolVersion.get());

    ObjectNode scanner = predicate.putObject("scanner");
    scanner.put("uri", "pkg:github/aquasecurity/trivy@" + version.version());
    scanner.put("version", version.version());
    scanner.set("db", db);
    ObjectNode result = scanner.putObject("result");
    result.put("mode", sbomMode ? "sbom" : "image");
    result.put("image", image.toString());
    result.put("target", target);
    ArrayNode versionArgv = result.putArray("versionCommand");
    versionCommand.forEach(argument -> versionArgv.add(context.redact(argument)));
    ObjectNode artifact = result.putObject("artifact");
    artifact.put("name", report.artifactName());
    artifact.put("type", report.artifactType());
    report.repoDigests().forEach(artifact.putArray("repoDigests")::add);
    artifact.put("namesDigest", report.names(image.digest()));
    artifact.put("hasResults", report.hasResults());

    ObjectNode policy = result.putObject("policy");
    ArrayNode failOn = policy.putArray("failOn");
    options.failOn().forEach(severity -> failOn.add(severity.name()));
    policy.put("ignoreUnfixed", options.ignoreUnfixed());
    policy.put("maxDbAgeHours", options.maxDbAgeHours());
    if (waiversFile.isPresent()) {
      policy.putObject("waivers")
          .put("file", waiversFile.get().name())
          .put("sha256", Digests.sha256Hex(waiversFile.get().content()));
    } else {
      policy.putNull("waivers");
    }

    result.set("summary", gate.summaryJson());
    result.putObject("gate")
        .put("decision", gate.passed() ? "passed" : "rejected")
        .put("reason", context.redact(summary))
        .put("blockingCount", gate.blocking().size());
    ArrayNode blocking = result.putArray("blockingFindings");
    gate.blocking().stream().limit(MAX_RECORDED).forEach(finding -> blocking.add(finding.toJson()));
    result.set("waivers", gate.waiversJson());
    ArrayNode files = result.putArray("evidence");
    evidence.forEach(file -> files.add(file.descriptor()));

    predicate.putObject("metadata")
        .put("scanStartedOn", started.toString())
        .put("scanFinishedOn", finished.toString());
    return predicate;
  }

  /**
   * Runs one trivy command: stderr (and stdout, unless captured) streamed to the display and the log,
   * redacted. A timeout or a non-zero exit means trivy could not do its job, not a verdict.
   */
  private static void execute(List<String> argv, Map<String, String> environment, Path directory, Duration timeout,
      StageLog log, OutputStream capture) throws InterruptedException {
    Deque<String> tail = new ArrayDeque<>();
    OutputStream stderr = Subprocess.lineStream(line -> {
      String shown = log.line(line);
      synchronized (tail) {
        if (!shown.isBlank()) {
          tail.addLast(shown);
          if (tail.size() > STDERR_TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
    });
    Subprocess.Result result = Subprocess.of(argv)
        .directory(directory)
        .environment(environment)
        .timeout(timeout)
        .stdout(capture != null ? capture : Subprocess.lineStream(log::line))
        .stderr(stderr)
        .run();
    String shown = "trivy " + argv.get(1);
    if (result.timedOut()) {
      throw new EnvironmentException(shown + " did not finish within " + timeout.toSeconds() + " s (timeoutSeconds)");
    }
    if (result.exitCode() != 0) {
      String text;
      synchronized (tail) {
        text = String.join(" | ", tail);
      }
      if (text.length() > STDERR_TAIL_CHARS) {
        text = "…" + text.substring(text.length() - STDERR_TAIL_CHARS);
      }
      throw new EnvironmentException(shown + " exited with " + result.exitCode() + ": "
          + (text.isEmpty() ? "no output on stderr" : text));
    }
  }
}
