package dev.releasegate.stages.jib;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.util.ArrayList;
import java.util.List;

/** The build's SLSA provenance read back: base image, revision, parameters, builder, dependencies. */
final class ProvenanceReader implements PredicateReader {
  @Override
  public StageDetails details(JsonNode provenance) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    JsonNode definition = provenance.path("buildDefinition");
    JsonNode external = definition.path("externalParameters");
    JsonNode internal = definition.path("internalParameters");
    facts.add(new Fact("Build type", definition.path("buildType").asText()));
    facts.add(new Fact("Base image", external.path("base").asText()));
    List<Row> dependencies = new ArrayList<>();
    for (JsonNode dependency : definition.path("resolvedDependencies")) {
      JsonNode digest = dependency.path("digest");
      String uri = dependency.path("uri").asText("");
      if (digest.has("gitCommit")) {
        facts.add(new Fact("Revision", digest.path("gitCommit").asText() + " (" + uri + ")"));
      } else if (uri.startsWith("oci://")) {
        facts.add(new Fact("Base digest", "sha256:" + digest.path("sha256").asText()));
      }
      String algorithm = digest.fieldNames().hasNext() ? digest.fieldNames().next() : "";
      dependencies.add(Row.of(dependency.path("name").asText(uri), algorithm.isEmpty() ? "" : algorithm + ":" + digest.path(algorithm).asText()));
    }
    facts.add(new Fact("Version", external.path("version").asText()));
    facts.add(new Fact("Main class", internal.path("mainClass").asText()));
    facts.add(new Fact("User", internal.path("user").asText()));
    facts.add(new Fact("Ports", String.join(", ", Json.texts(internal.path("ports")))));
    facts.add(new Fact("JVM flags", String.join(" ", Json.texts(internal.path("jvmFlags")))));
    JsonNode details = provenance.path("runDetails");
    facts.add(new Fact("Builder", details.path("builder").path("id").asText()));
    facts.add(new Fact("Invocation", details.path("metadata").path("invocationId").asText()));
    if (!dependencies.isEmpty()) {
      blocks.add(new Table("Resolved dependencies", List.of("Name", "Digest"), dependencies, true));
    }
    return new StageDetails(facts, blocks);
  }
}
