package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.FailureKind;
import dev.releasegate.api.StageStatus;
import dev.releasegate.spi.Artifact;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stage as the bundle records it: outcome, the signed statement and the artifacts it left.
 *
 * @param statement bundle-relative path of the envelope; empty for a stage that did not run
 * @param sha256 hex digest of the envelope file
 * @param outputs what a passed stage handed to later ones, by output name, so that a resumed run can
 *     reuse the stage (an empty object when there were none or they cannot be written down)
 */
public record StageEntry(
    String name,
    String type,
    StageStatus status,
    Optional<String> reason,
    Optional<FailureKind> failure,
    long durationMs,
    Optional<String> predicateType,
    Optional<String> statement,
    Optional<String> sha256,
    List<Artifact> artifacts,
    ObjectNode outputs) {

  public StageEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    if (statement.isPresent() != sha256.isPresent() || statement.isPresent() != predicateType.isPresent()) {
      throw new IllegalArgumentException(name + ": statement, its digest and predicate type go together");
    }
    if ((status == StageStatus.FAILED) != failure.isPresent()) {
      throw new IllegalArgumentException(name + ": a failure kind is given exactly for failed stages");
    }
    artifacts = List.copyOf(artifacts);
    outputs = outputs.deepCopy();
  }

  @Override
  public ObjectNode outputs() {
    return outputs.deepCopy();
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("name", name);
    node.put("type", type);
    node.put("status", status.id());
    reason.ifPresent(value -> node.put("reason", value));
    failure.ifPresent(value -> node.put("failure", value.id()));
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
    try {
      return new StageEntry(
          name,
          fields.text("type"),
          fields.enumValue("status", StageStatus.class),
          fields.optionalText("reason"),
          fields.optionalText("failure").isPresent()
              ? Optional.of(fields.enumValue("failure", FailureKind.class))
              : Optional.empty(),
          fields.number("durationMs"),
          fields.optionalText("predicateType"),
          fields.optionalText("statement"),
          fields.optionalText("sha256"),
          artifacts,
          node.has("outputs") ? (ObjectNode) fields.object("outputs") : Json.object());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage());
    }
  }
}
