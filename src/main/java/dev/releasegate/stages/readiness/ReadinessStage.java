package dev.releasegate.stages.readiness;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate.ContentDescriptorTemplate;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import dev.releasegate.ToolVersion;
import dev.releasegate.api.EnvironmentException;
import dev.releasegate.api.InvalidInputException;
import dev.releasegate.evidence.Digests;
import dev.releasegate.evidence.Json;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.registry.TagTemplates;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.ImageReference;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.spi.StageResult;
import dev.releasegate.waivers.Waiver;
import dev.releasegate.waivers.WaiversFile;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the image by digest (manifest, config, every layer, streamed) and lints it. The digest is the
 * one earlier stages published, and jib-core verifies every blob it pulls against its digest, so the
 * lint is about exactly the bytes that will be tagged (invariant 1). Anything that keeps it from
 * reading the image fails the stage; it never passes an image it could not read.
 */
final class ReadinessStage implements Stage {
  /** An image config is a few KiB; more is not a config this lint trusts. */
  static final long MAX_CONFIG_BYTES = 8L << 20;
  /** Layers read at the same time; each holds one 1 MiB scan buffer and one temporary file. */
  static final int PARALLEL_LAYERS = 4;
  /** The readiness checks have no package in a registry; this names the tool that ran them. */
  private static final String LINTER_URI = "https://releasegate.dev/readiness";

  private final StageOptions options;

  ReadinessStage(StageOptions options) {
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
          options.stringList("tags").stream().map(template -> TagTemplates.expand(template, context)).toList()));
      Lint.Policy policy = new Lint.Policy(options.integer("maxImageMb"), tags);

      RegistryAccess registry = RegistryAccess.open(image.repository(), RegistrySettings.of(context));
      context.progress("reading " + image);
      ManifestAndDigest<ManifestTemplate> pulled = registry.manifest(image.digest());
      if (!pulled.getDigest().toString().equals(image.digest())) {
        throw new EnvironmentException("registry " + registry.host() + " answered " + image + " with manifest " + pulled.getDigest());
      }
      BuildableManifestTemplate manifest = imageManifest(image, pulled.getManifest());
      boolean docker = V22ManifestTemplate.MANIFEST_MEDIA_TYPE.equals(manifest.getManifestMediaType());
      ContentDescriptorTemplate configDescriptor = manifest.getContainerConfiguration();
      if (configDescriptor == null || configDescriptor.getDigest() == null) {
        throw new EnvironmentException("the manifest of " + image + " names no config");
      }
      String configDigest = configDescriptor.getDigest().toString();
      ImageConfig config;
      try {
        config = ImageConfig.parse(registry.readBlob(configDigest, MAX_CONFIG_BYTES), docker);
      } catch (IOException e) {
        throw new EnvironmentException("cannot read the image config " + configDigest + " of " + image + ": " + e.getMessage(), e);
      }
      ImageFiles files = ImageFiles.merge(scanLayers(context, registry, manifest.getLayers()));

      List<Evaluation> evaluations = Lint.evaluate(config, files, policy);
      LocalDate today = LocalDate.ofInstant(context.clock().instant(), ZoneOffset.UTC);
      List<Waiver> waivers = waiversFile.map(WaiversFile.Loaded::waivers).orElse(List.of());
      ReadinessReport report = ReadinessReport.decide(evaluations, waivers, today);
      report.table().forEach(context::output);

      Optional<Artifact> waiversCopy = waiversFile.isPresent()
          ? Optional.of(context.artifacts().write("waivers.yaml", waiversFile.get().content()))
          : Optional.empty();
      String summary = report.summary();
      Instant finished = context.clock().instant();
      ObjectNode predicate = predicate(image, manifest, docker, configDigest, policy, waiversFile, waiversCopy, files, report,
          summary, started, finished);
      StageResult.Builder result = report.passed() ? StageResult.passed(summary) : StageResult.rejected(summary);
      report.details().forEach(result::detail);
      report.warnings().forEach(result::warning);
      return result.predicate(predicate).build();
    } catch (IOException e) {
      throw new EnvironmentException("readiness stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  private Optional<WaiversFile.Loaded> readWaivers(StageContext context) {
    Optional<String> name = options.findString("waivers");
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

  /** The single-image manifest; an index or a schema 1 manifest is not something this lint can read. */
  private static BuildableManifestTemplate imageManifest(ImageReference image, ManifestTemplate manifest) {
    if (manifest instanceof BuildableManifestTemplate buildable) {
      return buildable;
    }
    throw new InvalidInputException(image + " is not a single image manifest (" + manifest.getManifestMediaType()
        + "); the readiness lint reads OCI and Docker v2.2 image manifests, not indexes or schema 1");
  }

  /** Reads the layers a few at a time, each streamed through a temporary file, and scans them in order of the manifest. */
  private static List<LayerReport> scanLayers(StageContext context, RegistryAccess registry, List<ContentDescriptorTemplate> layers)
      throws InterruptedException {
    if (layers.isEmpty()) {
      return List.of();
    }
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LAYERS, layers.size()), runnable -> {
      Thread thread = new Thread(runnable, "readiness-layer");
      thread.setDaemon(true);
      return thread;
    });
    try {
      // Largest first: the biggest layer bounds the wall time, so it must not wait for a free thread.
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        if (layers.get(i).getDigest() == null) {
          throw new EnvironmentException("layer " + (i + 1) + " of the manifest has no digest");
        }
        order.add(i);
      }
      order.sort(Comparator.comparingLong((Integer i) -> layers.get(i).getSize()).reversed());
      List<Future<LayerReport>> futures = new ArrayList<>(Collections.nCopies(layers.size(), null));
      for (int i : order) {
        ContentDescriptorTemplate layer = layers.get(i);
        int index = i + 1;
        String digest = layer.getDigest().toString();
        futures.set(i, pool.submit(() -> {
          try (InputStream blob = registry.openBlob(digest)) {
            LayerReport report = new LayerScanner().scan(index, digest, layer.getSize(), blob);
            context.progress("read layer " + done.incrementAndGet() + " of " + layers.size());
            return report;
          }
        }));
      }
      List<LayerReport> reports = new ArrayList<>();
      for (Future<LayerReport> future : futures) {
        reports.add(future.get());
      }
      return reports;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new EnvironmentException("cannot read a layer: " + cause.getMessage(), cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The statement's predicate: the image read, the policy, every check with its result, and the
   * layers' sizes. It holds check results and names only, never a value the lint called secret.
   */
  private static ObjectNode predicate(ImageReference image, BuildableManifestTemplate manifest, boolean docker, String configDigest,
      Lint.Policy policy, Optional<WaiversFile.Loaded> waiversFile, Optional<Artifact> waiversCopy, ImageFiles files,
      ReadinessReport report, String summary, Instant started, Instant finished) {
    ObjectNode predicate = Json.object();
    predicate.putObject("linter")
        .put("uri", LINTER_URI)
        .put("version", ToolVersion.get());

    ObjectNode imageNode = predicate.putObject("image");
    imageNode.put("name", image.repository());
    imageNode.put("digest", image.digest());
    imageNode.put("mediaType", manifest.getManifestMediaType());
    // jib's buildable manifests are exactly these two.
    imageNode.put("format", docker ? "Docker" : "OCI");
    imageNode.put("config", configDigest);
    imageNode.put("size", files.size());
    imageNode.put("uncompressedSize", files.uncompressedSize());
    ArrayNode layers = imageNode.putArray("layers");
    for (LayerReport layer : files.layers()) {
      layers.addObject()
          .put("digest", layer.digest())
          .put("size", layer.size())
          .put("uncompressedSize", layer.uncompressedSize())
          .put("entries", layer.entries())
          .put("scannedFiles", layer.scannedFiles());
    }

    ObjectNode policyNode = predicate.putObject("policy");
    policyNode.put("maxImageMb", policy.maxImageMb());
    ArrayNode tags = policyNode.putArray("tags");
    policy.tags().forEach(tags::add);
    policyNode.put("maxScannedFileBytes", LayerScanner.MAX_SCANNED_FILE_BYTES);
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
