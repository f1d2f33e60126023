package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.spi.Artifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What one smoke run found, as its signed predicate records it. {@link #toJson} fixes the fields and
 * their order, which {@link SmokeReader} and every bundle already written rely on.
 *
 * @param versionReport the runtime's own {@code version} output, kept as an artifact
 * @param pulled false when the runtime had the image already
 * @param containerId the id the runtime gave the container
 * @param logs the log files' descriptors, from {@link ContainerLogs}
 * @param timing from {@link Timing#finish()}
 */
record SmokePredicate(
    ImageReference image,
    ContainerRuntime runtime,
    ContainerRuntime.Version version,
    Artifact versionReport,
    boolean pulled,
    ContainerStart.Started container,
    String containerId,
    SmokeOptions options,
    List<SmokeCheck> checks,
    ObjectNode logs,
    ObjectNode timing,
    Instant startedOn,
    Instant finishedOn) {

  SmokePredicate {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(container, "container");
    checks = List.copyOf(checks);
  }

  /** The predicate, with every value that could hold a secret redacted. */
  ObjectNode toJson(UnaryOperator<String> redact) {
    ObjectNode predicate = Json.object();
    predicate.put("image", image.toString());
    ObjectNode runtimeNode = predicate.putObject("runtime").put("name", runtime.name())
        .put("path", runtime.executable().toString()).put("version", version.client());
    version.server().ifPresent(server -> runtimeNode.put("serverVersion", server));
    runtimeNode.set("report", versionReport.descriptor());
    predicate.put("pulled", pulled);
    predicate.set("container", container.toJson().put("id", containerId));
    ArrayNode arguments = predicate.putArray("arguments");
    runtime.commandLine(container.arguments()).forEach(argument -> arguments.add(redact.apply(argument)));
    predicate.set("hardening", options.hardening().toJson());
    predicate.set("overrides", options.hardening().overridesJson());
    ObjectNode env = predicate.putObject("env");
    new TreeMap<>(options.env()).forEach((name, value) -> env.put(name, redact.apply(value)));
    ObjectNode secretEnv = predicate.putObject("secretEnv");
    new TreeMap<>(options.secretEnv()).forEach((name, variable) -> secretEnv.put(name, "from " + variable));
    ArrayNode checkList = predicate.putArray("checks");
    checks.forEach(check -> checkList.add(redacted(check.toJson(), redact)));
    predicate.set("logs", logs);
    predicate.set("timing", timing);
    predicate.put("startedOn", startedOn.toString());
    predicate.put("finishedOn", finishedOn.toString());
    return predicate;
  }

  private static ObjectNode redacted(ObjectNode node, UnaryOperator<String> redact) {
    try {
      return (ObjectNode) Json.parse(redact.apply(new String(Json.compact(node), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("redaction broke the JSON of a check", e);
    }
  }
}
