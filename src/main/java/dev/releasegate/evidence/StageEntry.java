package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.StageStatus;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.StageKind;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stage as the bundle records it: outcome, the signed statement and the artifacts it left.
 *
 * @param kind gate or publisher
 * @param startedAt when the stage started; empty for a stage that did not run
 * @param statement bundle-relative path of the envelope; empty for a stage that did not run
 * @param sha256 hex digest of the envelope file
 * @param outputs what a passed stage handed to later ones, by output name, so that a resumed run can
 *     reuse the stage (an empty object when there were none or they cannot be written down)
 * @param writes the manifests the stage put into a registry
 * @param details what the stage said about its decision beyond the reason, e.g. the blocking findings
 * @param warnings what the stage found that did not block
 */
public record StageEntry(
    String name,
    String type,
    StageKind kind,
    StageStatus status,
    Optional<String> reason,
    Optional<FailureKind> failure,
    Optional<Instant> startedAt,
    long durationMs,
    Optional<String> predicateType,
    Optional<String> statement,
    Optional<String> sha256,
    List<Artifact> artifacts,
    ObjectNode outputs,
    List<RegistryWrite> writes,
    List<String> details,
    List<String> warnings) {

  public StageEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    if (statement.isPresent() != sha256.isPresent() || statement.isPresent() != predicateType.isPresent()) {
      throw new IllegalArgumentException(name + ": statement, its digest and predicate type go together");
    }
    if ((status == StageStatus.FAILED) != failure.isPresent()) {
      throw new IllegalArgumentException(name + ": a failure kind is given exactly for failed stages");
    }
    if (startedAt.isPresent() != statement.isPresent()) {
      throw new IllegalArgumentException(name + ": a stage that ran has a start time and a statement, one that did not has neither");
    }
    artifacts = List.copyOf(artifacts);
    outputs = outputs.deepCopy();
    writes = List.copyOf(writes);
    details = List.copyOf(details);
    warnings = List.copyOf(warnings);
  }

  /** The same stage, its statement signed again (about the image, once the image exists). */
  public StageEntry withStatement(String path, String sha256) {
    return new StageEntry(name, type, kind, status, reason, failure, startedAt, durationMs, predicateType, Optional.of(path),
        Optional.of(sha256), artifacts, outputs, writes, details, warnings);
  }

  /** The same stage, reused by a resumed run from run {@code runId}: that is all it says this time. */
  public StageEntry reusedFrom(String runId) {
    return new StageEntry(name, type, kind, status, reason, failure, startedAt, durationMs, predicateType, statement, sha256, artifacts,
        outputs, writes, List.of("reused from run " + runId), List.of());
  }

  @Override
  public ObjectNode outputs() {
    return outputs.deepCopy();
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("name", name);
    node.put("type", type);
    node.put("kind", kind.id());
    node.put("status", status.id());
    reason.ifPresent(value -> node.put("reason", value));
    failure.ifPresent(value -> node.put("failure", value.id()));
    startedAt.ifPresent(value -> node.put("startedAt", value.toString()));
    node.put("durationMs", durationMs);
    predicateType.ifPresent(value -> node.put("predicateType", value));
    statement.ifPresent(value -> node.put("statement", value));
    sha256.ifPresent(value -> node.put("sha256", value));
    ArrayNode list = node.putArray("artifacts");
    for (Artifact artifact : artifacts) {
      list.addObject().put("path", artifact.path()).put("sha256", artifact.sha256()).put("size", artifact.size());
    }
    if (!outputs.isEmpty()) {
      node.set("outputs", outputs.deepCopy());
    }
    if (!writes.isEmpty()) {
      ArrayNode writeList = node.putArray("writes");
      for (RegistryWrite write : writes) {
        ObjectNode item = writeList.addObject().put("repository", write.repository()).put("reference", write.reference()).put("digest", write.digest());
        write.previous().ifPresent(previous -> item.put("previous", previous));
        item.put("removal", write.removal());
      }
    }
    if (!details.isEmpty()) {
      details.forEach(node.putArray("details")::add);
    }
    if (!warnings.isEmpty()) {
      warnings.forEach(node.putArray("warnings")::add);
    }
    return node;
  }

  public static StageEntry fromJson(JsonNode node) throws IOException {
    JsonFields fields = new JsonFields(node, "stage");
    String name = fields.text("name");
    List<Artifact> artifacts = new ArrayList<>();
    for (JsonNode item : fields.array("artifacts")) {
      JsonFields artifact = new JsonFields(item, "artifact of stage " + name);
      try {
        artifacts.add(new Artifact(artifact.text("path"), artifact.text("sha256"), artifact.number("size")));
      } catch (IllegalArgumentException e) {
        throw new IOException("stage " + name + ": " + e.getMessage());
      }
    }
    List<RegistryWrite> writes = new ArrayList<>();
    if (node.has("writes")) {
      for (JsonNode item : fields.array("writes")) {
        JsonFields write = new JsonFields(item, "write of stage " + name);
        writes.add(new RegistryWrite(write.text("repository"), write.text("reference"), write.text("digest"), write.optionalText("previous")));
      }
    }
    try {
      return new StageEntry(
          name,
          fields.text("type"),
          fields.enumValue("kind", StageKind.class),
          fields.enumValue("status", StageStatus.class),
          fields.optionalText("reason"),
          fields.optionalText("failure").isPresent()
              ? Optional.of(fields.enumValue("failure", FailureKind.class))
              : Optional.empty(),
          fields.optionalText("startedAt").map(Instant::parse),
          fields.number("durationMs"),
          fields.optionalText("predicateType"),
          fields.optionalText("statement"),
          fields.optionalText("sha256"),
          artifacts,
          node.has("outputs") ? (ObjectNode) fields.object("outputs") : Json.object(),
          writes,
          lines(fields, node, "details"),
          lines(fields, node, "warnings"));
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new IOException(e.getMessage());
    }
  }

  /** An optional array of strings; bundles written before it existed have none. */
  private static List<String> lines(JsonFields fields, JsonNode node, String name) throws IOException {
    List<String> lines = new ArrayList<>();
    if (node.has(name)) {
      for (JsonNode line : fields.array(name)) {
        if (!line.isTextual()) {
          throw new IOException("stage " + node.path("name").asText() + ": " + name + " must be strings");
        }
        lines.add(line.asText());
      }
    }
    return lines;
  }
}
