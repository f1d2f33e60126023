package dev.releasegate.waivers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Applied, unused and expired waivers as the scan and the lint record them, as one report table. */
public final class WaiverTable {
  private WaiverTable() {}

  /** The table of {@code waivers} (a predicate's {@code waivers} object); empty when none was listed. */
  public static Optional<Table> of(JsonNode waivers) {
    List<Row> rows = new ArrayList<>();
    for (String state : List.of("applied", "unused", "expired")) {
      for (JsonNode waiver : waivers.path(state)) {
        StageCheck.Status tone = state.equals("expired") ? StageCheck.Status.WARNED : StageCheck.Status.PASSED;
        rows.add(Row.of(tone, waiver.path("id").asText(), waiver.path("package").asText(""), state, waiver.path("reason").asText(),
            waiver.path("expires").asText()));
      }
    }
    return rows.isEmpty() ? Optional.empty() : Optional.of(new Table("Waivers", List.of("ID", "Package", "State", "Reason", "Expires"), rows, false));
  }
}
