package dev.releasegate.stages.readiness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.image.ImageFiles;
import dev.releasegate.image.LayerChanges;
import dev.releasegate.image.RemoteImage;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import dev.releasegate.stages.push.TagTemplates;
import dev.releasegate.waivers.Waiver;
import dev.releasegate.waivers.WaiversFile;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads the image by digest ({@link RemoteImage}: manifest, config, every layer streamed and checked
 * against its diff_id) and lints it. The digest is the one earlier stages published, so the lint is
 * about exactly the bytes that will be tagged (invariant 1). Anything that keeps it from reading the
 * image fails the stage; it never passes an image it could not read.
 */
final class ReadinessStage implements Stage {
  /** The readiness checks have no package in a registry; this names the tool that ran them. */
  private static final String LINTER_URI = "https://releasegate.dev/readiness";

  private final ReadinessOptions options;

  ReadinessStage(ReadinessOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    Instant started = context.clock().instant();
    ImageReference image = context.output(Outputs.IMAGE);
    try {
      // Invalid input first: a bad waivers file is the user's to fix, whatever the image holds.
      Optional<WaiversFile.Loaded> waiversFile = readWaivers(context);
      List<String> tags = new ArrayList<>(new LinkedHashSet<>(
          options.tags().stream().map(template -> TagTemplates.expand(template, context)).toList()));
      Lint.Policy policy = new Lint.Policy(options.maxImageMb(), tags);

      context.progress("reading " + image);
      RemoteImage remote = RemoteImage.of(context, StageRegistries.settings(context));
      ImageContents files = scanLayers(context, remote);

      List<Evaluation> evaluations = Lint.evaluate(remote.config(), files, policy);
      LocalDate today = LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC);
      List<Waiver> waivers = waiversFile.map(WaiversFile.Loaded::waivers).orElse(List.of());
      ReadinessReport report = ReadinessReport.decide(evaluations, waivers, today);
      report.table().forEach(context::log);

      Optional<Artifact> waiversCopy = waiversFile.isPresent()
          ? Optional.of(context.artifacts().write("waivers.yaml", waiversFile.get().content()))
          : Optional.empty();
      String summary = report.summary();
      Instant finished = context.clock().instant();
      ObjectNode predicate = predicate(remote, policy, waiversFile, waiversCopy, files, report, summary, started, finished);
      StageResult.Builder result = report.passed() ? StageResult.passed(summary) : StageResult.rejected(summary);
      report.details().forEach(result::detail);
      report.warnings().forEach(result::warning);
      return result.predicate(predicate).build();
    } catch (IOException e) {
      throw new EnvironmentException("readiness stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  private Optional<WaiversFile.Loaded> readWaivers(StageContext context) {
    Optional<String> name = options.waivers();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    WaiversFile.Loaded loaded;
    try {
      loaded = WaiversFile.read(context.projectDirectory(), name.get(), Optional.empty());
    } catch (IOException e) {
      throw new InvalidInputException("cannot read waivers file " + name.get() + ": " + e.getMessage(), e);
    }
    ReadinessReport.requireKnownIds(loaded.waivers(), name.get());
    return Optional.of(loaded);
  }

  /** Scans every layer (a few at a time, see {@link RemoteImage#readLayers}) and merges them. */
  private static ImageContents scanLayers(StageContext context, RemoteImage remote) throws InterruptedException {
    List<LayerScanner> scanners = new ArrayList<>();
    for (int i = 0; i < remote.layers().size(); i++) {
      scanners.add(new LayerScanner(i + 1));
    }
    List<LayerChanges<LayerScanner.Kept>> layers = remote.readLayers(scanners, context::progress);
    List<LayerReport> reports = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      reports.add(scanners.get(i).report(remote.layers().get(i).digest(), layers.get(i).summary()));
    }
    return ImageContents.of(reports, ImageFiles.merge(layers));
  }

  /**
   * The statement's predicate: the image read, the policy, every check with its result, and the
   * layers' sizes. It holds check results and names only, never a value the lint called secret.
   */
  private static ObjectNode predicate(RemoteImage remote, Lint.Policy policy, Optional<WaiversFile.Loaded> waiversFile,
      Optional<Artifact> waiversCopy, ImageContents files, ReadinessReport report, String summary, Instant started, Instant finished) {
    ObjectNode predicate = Json.object();
    predicate.putObject("linter")
        .put("uri", LINTER_URI)
        .put("version", ToolVersion.get());

    ObjectNode imageNode = predicate.putObject("image");
    imageNode.put("name", remote.reference().repository());
    imageNode.put("digest", remote.reference().digest());
    imageNode.put("mediaType", remote.manifestMediaType());
    // jib's buildable manifests are exactly these two.
    imageNode.put("format", remote.config().docker() ? "Docker" : "OCI");
    imageNode.put("config", remote.configDigest());
    imageNode.put("size", files.size());
    imageNode.put("uncompressedSize", files.uncompressedSize());
    imageNode.put("extractedSize", files.extractedSize());
    ArrayNode layers = imageNode.putArray("layers");
    for (LayerReport layer : files.layers()) {
      layers.addObject()
          .put("digest", layer.digest())
          .put("size", layer.size())
          .put("uncompressedSize", layer.uncompressedSize())
          .put("extractedSize", layer.extractedSize())
          .put("entries", layer.entries())
          .put("scannedFiles", layer.scannedFiles());
    }

    ObjectNode policyNode = predicate.putObject("policy");
    policyNode.put("maxImageMb", policy.maxImageMb());
    ArrayNode tags = policyNode.putArray("tags");
    policy.tags().forEach(tags::add);
    policyNode.put("scanWindowBytes", LayerScanner.WINDOW_BYTES);
    if (waiversFile.isPresent()) {
      ObjectNode waivers = policyNode.putObject("waivers")
          .put("file", waiversFile.get().name())
          .put("sha256", Digests.sha256Hex(waiversFile.get().content()));
      waiversCopy.ifPresent(copy -> waivers.set("evidence", copy.descriptor()));
    } else {
      policyNode.putNull("waivers");
    }

    predicate.set("checks", report.checksJson());
    predicate.set("summary", report.summaryJson());
    predicate.set("waivers", report.waiversJson());
    predicate.putObject("gate")
        .put("decision", report.passed() ? "passed" : "rejected")
        .put("reason", summary);
    predicate.putObject("metadata")
        .put("startedOn", started.toString())
        .put("finishedOn", finished.toString());
    return predicate;
  }
}
