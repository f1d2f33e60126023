package dev.releasegate.stages.verify;

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

/** The verify predicate read back: who signed, which predicate types, and what was verified where in the registry. */
final class VerifyReader implements PredicateReader {

  @Override
  public StageDetails details(JsonNode predicate) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    facts.add(new Fact("Key id", predicate.path("keyid").asText()));
    facts.add(new Fact("Signed by", String.join(", ", Json.texts(predicate.path("signatures")))));
    blocks.add(new Items("Attested predicate types", Json.texts(predicate.path("predicateTypes"))));
    List<Row> rows = new ArrayList<>();
    predicate.path("accepted").forEach(found -> rows.add(Row.of(found.path("predicateType").asText("signature"), found.path("signer").asText(),
        found.path("format").asText(), found.path("location").asText())));
    if (!rows.isEmpty()) {
      blocks.add(new Table("Verified in the registry", List.of("Signature or predicate type", "Signer", "Format", "Found at"), rows, false));
    }
    List<String> failures = Json.texts(predicate.path("failures"));
    if (!failures.isEmpty()) {
      blocks.add(new Items("Failures", failures));
    }
    List<String> notes = Json.texts(predicate.path("notes"));
    if (!notes.isEmpty()) {
      blocks.add(new Items("Notes", notes));
    }
    return new StageDetails(facts, blocks);
  }
}
