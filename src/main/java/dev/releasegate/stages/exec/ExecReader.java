package dev.releasegate.stages.exec;

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

/** The exec predicate read back: the command, its exit code and the files it wrote. */
final class ExecReader implements PredicateReader {

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    facts.add(new Fact("Command", String.join(" ", Json.texts(predicate.path("command")))));
    facts.add(new Fact("Exit code", predicate.path("exitCode").asText("?") + (predicate.path("timedOut").asBoolean() ? " (timed out)" : "")));
    List<Row> rows = new ArrayList<>();
    predicate.path("outputs").forEach(output -> rows.add(Row.of(output.path("name").asText(), output.path("digest").path("sha256").asText())));
    if (!rows.isEmpty()) {
      blocks.add(new Table("Outputs", List.of("File", "sha256"), rows, false));
    }
    return new StageDetails(facts, blocks);
  }
}
