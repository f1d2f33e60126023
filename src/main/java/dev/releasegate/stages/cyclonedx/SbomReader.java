package dev.releasegate.stages.cyclonedx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The SBOM read back: the BOM's subject, component counts by type, and a searchable list of every component. */
final class SbomReader implements PredicateReader {
  /** Nesting followed into components of components; CycloneDX allows any depth, a report needs a bound. */
  static final int MAX_DEPTH = 16;


  @Override
  public StageDetails details(JsonNode bom) {
    List<Fact> facts = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    JsonNode subject = bom.path("metadata").path("component");
    facts.add(new Fact("Format", bom.path("bomFormat").asText() + " " + bom.path("specVersion").asText()));
    if (subject.isObject()) {
      facts.add(new Fact("Describes", subject.path("name").asText() + " " + subject.path("version").asText()));
    }
    List<Row> components = new ArrayList<>();
    Map<String, Integer> byType = new TreeMap<>();
    collect(bom.path("components"), "", 0, components, byType);
    facts.add(new Fact("Components", Integer.toString(components.size())));
    List<Row> counts = new ArrayList<>();
    byType.forEach((type, count) -> counts.add(Row.of(type, Integer.toString(count))));
    blocks.add(new Table("Components by type", List.of("Type", "Count"), counts, false));
    blocks.add(new Table("Components", List.of("Type", "Name", "Version", "Package URL", "Part of"), components, true));
    return new StageDetails(facts, blocks);
  }

  private static void collect(JsonNode list, String parent, int depth, List<Row> rows, Map<String, Integer> byType) {
    if (depth > MAX_DEPTH) {
      return;
    }
    for (JsonNode component : list) {
      String type = component.path("type").asText("?");
      String name = (component.has("group") ? component.path("group").asText() + ":" : "") + component.path("name").asText();
      byType.merge(type, 1, Integer::sum);
      rows.add(Row.of(type, name, component.path("version").asText(), component.path("purl").asText(), parent));
      collect(component.path("components"), name, depth + 1, rows, byType);
    }
  }
}
