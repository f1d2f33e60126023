package dev.releasegate.report;

import dev.releasegate.base.Messages;
import dev.releasegate.report.ReleaseReport.Section;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Items;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as plain text for a terminal or a CI log; every value passes {@link Escape#terminal}. */
public final class TextReport {
  /** Columns wider than this are not padded further; the text is never cut. */
  private static final int MAX_COLUMN = 48;

  private TextReport() {}

  /** The verification banner alone: what the command prints when the page goes to a file. */
  public static String banner(ReleaseReport report) {
    ReleaseReport.Banner banner = report.banner();
    StringBuilder out = new StringBuilder();
    out.append(banner.accepted() ? "[ OK ] " : "[ !! ] ").append(clean(banner.title())).append('\n');
    banner.lines().forEach(line -> out.append("       ").append(indent(clean(line), "       ")).append('\n'));
    return out.toString();
  }

  public static String render(ReleaseReport report) {
    StringBuilder out = new StringBuilder();
    String rule = "=".repeat(78);
    out.append(rule).append('\n').append(banner(report)).append(rule).append("\n\n");
    out.append("Release (").append(clean(report.bundle())).append(")\n");
    facts(out, report.facts());
    if (!report.readProblems().isEmpty()) {
      out.append("\nCould not read\n");
      report.readProblems().forEach(problem -> out.append("  - ").append(clean(problem)).append('\n'));
    }
    for (Section section : report.sections()) {
      out.append('\n').append(clean(section.title())).append(": ").append(clean(section.statusText()).toUpperCase(Locale.ROOT)).append('\n');
      out.append("-".repeat(Math.min(78, section.title().length() + section.statusText().length() + 2))).append('\n');
      facts(out, section.facts());
      for (Block block : section.blocks()) {
        out.append('\n');
        if (block instanceof Table table) {
          table(out, table);
        } else if (block instanceof Items items) {
          out.append("  ").append(clean(items.title())).append(" (").append(items.items().size()).append(")\n");
          items.items().forEach(item -> out.append("    - ").append(indent(clean(item), "      ")).append('\n'));
        }
      }
    }
    return out.toString();
  }

  private static void facts(StringBuilder out, List<Fact> facts) {
    int width = facts.stream().mapToInt(fact -> fact.label().length()).max().orElse(0);
    for (Fact fact : facts) {
      out.append("  ").append(pad(clean(fact.label()), width)).append("  ")
          .append(indent(clean(fact.value()), " ".repeat(width + 4))).append('\n');
    }
  }

  /** Aligned columns; a cell's extra lines go under the row, indented. */
  private static void table(StringBuilder out, Table table) {
    out.append("  ").append(clean(table.title())).append(" (").append(table.rows().size()).append(")\n");
    int columns = table.header().size();
    int[] widths = new int[columns];
    List<List<String>> lines = new ArrayList<>();
    lines.add(table.header().stream().map(TextReport::clean).toList());
    for (Row row : table.rows()) {
      lines.add(row.cells().stream().map(cell -> clean(cell)).toList());
    }
    for (List<String> line : lines) {
      for (int i = 0; i < columns && i < line.size(); i++) {
        widths[i] = Math.min(MAX_COLUMN, Math.max(widths[i], Messages.firstLine(line.get(i)).length()));
      }
    }
    for (List<String> line : lines) {
      StringBuilder text = new StringBuilder("    ");
      List<String> more = new ArrayList<>();
      for (int i = 0; i < columns && i < line.size(); i++) {
        String cell = line.get(i);
        text.append(i == columns - 1 ? Messages.firstLine(cell) : pad(Messages.firstLine(cell), widths[i]) + "  ");
        cell.lines().skip(1).forEach(more::add);
      }
      out.append(text.toString().stripTrailing()).append('\n');
      more.forEach(extra -> out.append("        ").append(extra).append('\n'));
    }
  }

  private static String clean(String text) {
    return Escape.terminal(text);
  }

  private static String indent(String text, String prefix) {
    return text.replace("\n", "\n" + prefix);
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
