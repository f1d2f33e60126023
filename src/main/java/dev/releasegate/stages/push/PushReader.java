package dev.releasegate.stages.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Items;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.util.ArrayList;
import java.util.List;

/** The push predicate read back: the repository, the digest and what became of each tag. */
final class PushReader implements PredicateReader {

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    facts.add(new Fact("Repository", predicate.path("repository").asText()));
    facts.add(new Fact("Digest", predicate.path("digest").asText()));
    List<Row> rows = new ArrayList<>();
    predicate.path("tags").forEach(tag -> rows.add(Row.of(tag.path("tag").asText(), tag.path("result").asText())));
    blocks.add(new Table("Tags", List.of("Tag", "Result"), rows, false));
    List<String> conflicts = Json.texts(predicate.path("conflicts"));
    if (!conflicts.isEmpty()) {
      blocks.add(new Items("Conflicts", conflicts));
    }
    return new StageDetails(facts, blocks);
  }
}
