package dev.releasegate.spi;

import java.util.List;
import java.util.Optional;

/**
 * What a stage's predicate says in detail, as its section of the release report shows it: labelled facts,
 * then tables and lists. Renderers escape every string, since each may come from the bundle.
 */
public record StageDetails(List<Fact> facts, List<Block> blocks) {
  public static final StageDetails NONE = new StageDetails(List.of(), List.of());

  public StageDetails {
    facts = List.copyOf(facts);
    blocks = List.copyOf(blocks);
  }

  /** One labelled value. */
  public record Fact(String label, String value) {}

  /** Something shown in a section besides its facts. */
  public sealed interface Block permits Table, Items {}

  /** A table; a searchable one gets a filter box in HTML. */
  public record Table(String title, List<String> header, List<Row> rows, boolean searchable) implements Block {
    public Table {
      header = List.copyOf(header);
      rows = List.copyOf(rows);
    }
  }

  /**
   * One table row; a cell may hold several lines.
   *
   * @param tone the status the row shows (its colour in HTML), if any
   */
  public record Row(List<String> cells, Optional<StageCheck.Status> tone) {
    public Row {
      cells = List.copyOf(cells);
    }

    public static Row of(String... cells) {
      return new Row(List.of(cells), Optional.empty());
    }

    public static Row of(StageCheck.Status tone, String... cells) {
      return new Row(List.of(cells), Optional.of(tone));
    }
  }

  /** A titled list of lines. */
  public record Items(String title, List<String> items) implements Block {
    public Items {
      items = List.copyOf(items);
    }
  }
}
