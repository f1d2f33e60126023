package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.image.OciLayout;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one scan yielded, read strictly: a report about this very digest (with any secret of the image
 * config taken out), and the scanner and DB that wrote it. A report that is missing, unreadable or
 * about something else fails the stage; the gate never decides on a scan it could not read.
 *
 * @param versionArtifact trivy's version output, kept as it printed it
 * @param db the {@code scanner.db} of the vuln predicate
 */
record TrivyOutput(ScanTarget target, TrivyProcess.Run run, TrivyReport report, Artifact versionArtifact, TrivyVersion version,
    ObjectNode db) {

  TrivyOutput {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(versionArtifact, "versionArtifact");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(db, "db");
  }

  /** Reads the report and the version output of {@code run}; warns of a DB older than {@code maxDbAgeHours}. */
  static TrivyOutput read(StageContext context, ScanTarget target, TrivyProcess.Run run, long maxDbAgeHours, List<String> warnings)
      throws IOException {
    TrivyReport report = report(target, run.report(), shownReport(context), warnings);
    byte[] versionBytes = run.versionOutput();
    Artifact versionArtifact = context.artifacts().write("trivy-version.json", versionBytes);
    TrivyVersion version = version(versionBytes, warnings);
    ObjectNode db = database(version, context.clock(), maxDbAgeHours, warnings);
    return new TrivyOutput(target, run, report, versionArtifact, version, db);
  }

  /** The report as the user finds it in the evidence folder. */
  static String shownReport(StageContext context) {
    return "artifacts/" + context.stageName() + "/trivy.json";
  }

  private static TrivyReport report(ScanTarget target, Path file, String shown, List<String> warnings) throws IOException {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new EnvironmentException("trivy exited with 0 but wrote no report to " + shown);
    }
    TrivyReport report;
    try {
      report = TrivyReport.parse(raw);
    } catch (IOException e) {
      throw new EnvironmentException("cannot read trivy report " + shown + ": " + e.getMessage(), e);
    }
    if (target.layout().isPresent()) {
      checkSubject(report, target.image(), target.layout().get());
    } else {
      checkSubject(report, target.image());
    }
    Optional<byte[]> withoutSecrets = ReportSecrets.removed(raw);
    if (withoutSecrets.isPresent()) {
      Files.write(file, withoutSecrets.get());
      warnings.add("the image config holds secrets (see the readiness lint); " + shown + " keeps a marker in their place");
    }
    return report;
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

  private static TrivyVersion version(byte[] output, List<String> warnings) {
    TrivyVersion version;
    try {
      version = TrivyVersion.parse(output);
    } catch (IOException e) {
      throw new EnvironmentException("cannot read the output of trivy --version --format json: " + e.getMessage(), e);
    }
    if (version.version().equals("dev") || version.version().isBlank()) {
      warnings.add("trivy reports its version as '" + version.version() + "': the evidence cannot name the scanner that decided; "
          + "use a released trivy (or build it with -ldflags -X github.com/aquasecurity/trivy/pkg/version/app.ver=VERSION)");
    }
    return version;
  }

  private static ObjectNode database(TrivyVersion version, Clock clock, long maxAgeHours, List<String> warnings) {
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
    long ageHours = Duration.between(metadata.updatedAt(), clock.instant()).toHours();
    db.put("version", Long.toString(metadata.schemaVersion()));
    db.put("updatedAt", metadata.updatedAt().toString());
    db.put("nextUpdate", metadata.nextUpdate());
    db.put("downloadedAt", metadata.downloadedAt());
    db.put("ageHours", ageHours);
    if (ageHours > maxAgeHours) {
      warnings.add("trivy vulnerability DB was updated " + ageHours + " h ago (" + metadata.updatedAt()
          + "), more than maxDbAgeHours " + maxAgeHours);
    }
    return db;
  }
}
