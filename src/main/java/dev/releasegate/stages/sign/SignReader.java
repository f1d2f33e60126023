package dev.releasegate.stages.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.util.ArrayList;
import java.util.List;

/** The sign predicate read back: the key, the signature and the attestations written. */
final class SignReader implements PredicateReader {

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    facts.add(new Fact("Key id", predicate.path("keyid").asText()));
    JsonNode signature = predicate.path("signature");
    facts.add(new Fact("Signature", signature.path("tag").asText() + (signature.path("added").asBoolean() ? " (added)" : " (already there)")));
    List<Row> rows = new ArrayList<>();
    predicate.path("attestations").path("statements").forEach(statement -> rows.add(Row.of(statement.path("stage").asText(),
        statement.path("predicateType").asText(), statement.path("layerDigest").asText(),
        statement.path("added").asBoolean() ? "added" : "already there")));
    if (!rows.isEmpty()) {
      blocks.add(new Table("Attestations", List.of("Stage", "Predicate type", "Layer", "Result"), rows, false));
    }
    return new StageDetails(facts, blocks);
  }
}
