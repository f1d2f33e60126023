package dev.releasegate.stages.jib;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.process.StageCommand;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The SLSA provenance v1 of the image, read back by {@link ProvenanceReader}. A build that was
 * rejected before the image existed gets one too: it records what was run and its log.
 */
final class Provenance {
  private final StageContext context;
  private final JibOptions options;
  private final List<String> buildCommand;
  private final WrittenReference base;
  private final Instant started;
  private final StageCommand.Outcome build;

  /** @param started when the stage started; it finishes when the provenance is made */
  Provenance(StageContext context, JibOptions options, List<String> buildCommand, WrittenReference base, Instant started,
      StageCommand.Outcome build) {
    this.context = context;
    this.options = options;
    this.buildCommand = List.copyOf(buildCommand);
    this.base = base;
    this.started = started;
    this.build = build;
  }

  /** Of a build that made no image: no base digest, no dependencies. */
  ObjectNode unbuilt() {
    return of(Optional.empty(), List.of(), Optional.empty(), Optional.empty());
  }

  /** Of the image built on {@code resolved} from {@code app}, with where the stage's time went. */
  ObjectNode built(BaseImage resolved, AppFiles app, PhaseTimes times) {
    return of(Optional.of(resolved.digest()), app.dependencies(), Optional.of(app.mainClass()), Optional.of(times));
  }

  private ObjectNode of(Optional<String> baseDigest, List<Path> dependencies, Optional<String> mainClass, Optional<PhaseTimes> times) {
    ObjectNode predicate = Json.object();
    ObjectNode definition = predicate.putObject("buildDefinition");
    definition.put("buildType", "https://releasegate.dev/buildtypes/jib-java/v1");
    externalParameters(definition.putObject("externalParameters"));
    ObjectNode internal = definition.putObject("internalParameters");
    options.jvmFlags().forEach(internal.putArray("jvmFlags")::add);
    options.ports().forEach(internal.putArray("ports")::add);
    internal.put("user", options.user());
    internal.put("appRoot", options.appRoot());
    internal.put("format", options.format().name());
    resolvedDependencies(definition.putArray("resolvedDependencies"), baseDigest, dependencies);
    internal.put("releasegateRunId", context.runId());
    context.ci().ifPresent(ci -> {
      ObjectNode node = internal.putObject("ci").put("system", ci.system());
      ci.url().ifPresent(url -> node.put("url", url));
      ci.facts().forEach(node.putObject("facts")::put);
    });
    // Last among the internal parameters, where it has always been: the predicate keeps its field order.
    mainClass.ifPresent(name -> internal.put("mainClass", name));
    runDetails(predicate.putObject("runDetails"), times);
    return predicate;
  }

  private void externalParameters(ObjectNode external) {
    external.putObject("pipeline").put("uri", context.pipeline().location()).putObject("digest").put("sha256", context.pipeline().sha256());
    external.put("image", context.image().repository().orElseThrow());
    external.put("version", context.version());
    external.put("base", base.toString());
    buildCommand.forEach(external.putArray("buildCommand")::add);
  }

  /** The commit, the base image by digest and each dependency jar by its hash. */
  private void resolvedDependencies(ArrayNode resolved, Optional<String> baseDigest, List<Path> dependencies) {
    GitFacts git = context.git();
    ObjectNode source = resolved.addObject().put("uri", git.source().map(url -> "git+" + url).orElse("git") + "@" + git.commit());
    source.putObject("digest").put("gitCommit", git.commit());
    if (baseDigest.isPresent()) {
      ObjectNode baseImage = resolved.addObject().put("uri", "oci://" + base.repository() + "@" + baseDigest.get()).put("name", base.toString());
      baseImage.putObject("digest").put("sha256", baseDigest.get().substring("sha256:".length()));
    }
    for (Path jar : dependencies) {
      ObjectNode entry = resolved.addObject().put("name", jar.getFileName().toString());
      try {
        entry.putObject("digest").put("sha256", Digests.sha256Hex(jar));
      } catch (IOException e) {
        throw new EnvironmentException("cannot hash " + jar + ": " + e.getMessage(), e);
      }
    }
  }

  private void runDetails(ObjectNode details, Optional<PhaseTimes> times) {
    ObjectNode builder = details.putObject("builder").put("id", "https://releasegate.dev/releasegate@" + ToolVersion.get());
    builder.putObject("version").put("releasegate", ToolVersion.get()).put("jib-core", ToolVersion.jib());
    context.ci().filter(ci -> ci.facts().containsKey("GITHUB_WORKFLOW_REF")).ifPresent(ci -> {
      // The workflow that ran releasegate is part of the builder, as GitHub's own SLSA generator records it.
      ObjectNode workflow = builder.putArray("builderDependencies").addObject()
          .put("uri", "git+https://github.com/" + ci.facts().get("GITHUB_WORKFLOW_REF"));
      if (ci.facts().containsKey("GITHUB_SHA")) {
        workflow.putObject("digest").put("gitCommit", ci.facts().get("GITHUB_SHA"));
      }
    });
    ObjectNode metadata = details.putObject("metadata")
        // A CI run's URL identifies the invocation for anyone reading the provenance; else our run id.
        .put("invocationId", context.ci().flatMap(ci -> ci.url()).orElse(context.runId()))
        .put("startedOn", started.toString())
        .put("finishedOn", context.clock().instant().toString());
    // An extension field after SLSA's own (readers ignore fields they do not know): build, containerize, push.
    times.ifPresent(phases -> metadata.set("timings", phases.json()));
    details.putArray("byproducts").add(build.log().descriptor());
  }
}
