package dev.releasegate.report;

import dev.releasegate.base.Digests;
import dev.releasegate.report.ReleaseReport.Section;
import dev.releasegate.spi.StageDetails.Block;
import dev.releasegate.spi.StageDetails.Fact;
import dev.releasegate.spi.StageDetails.Items;
import dev.releasegate.spi.StageDetails.Row;
import dev.releasegate.spi.StageDetails.Table;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The report as one self-contained HTML page: inline CSS and one small inline script (the component
 * filter), nothing fetched, so it opens offline and can be attached to a CI run.
 *
 * <p>Every value from the bundle is HTML-escaped. On top of that the page's Content-Security-Policy
 * allows only its own style and script (by hash) and no network at all, so even a missed escape
 * could neither run a script nor reach out.
 */
public final class HtmlReport {
  private static final String CSS = """
      :root{--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--skip:#6e7781;--line:#d0d7de;--soft:#f6f8fa}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;color:#1f2328;background:#fff}
      .banner{padding:18px 32px;color:#fff}
      .banner.ok{background:var(--ok)}
      .banner.bad{background:var(--bad)}
      .banner h1{margin:0;font-size:21px;word-break:break-all}
      .banner ul{margin:8px 0 0;padding-left:20px}
      main{max-width:1240px;margin:0 auto;padding:8px 32px 48px}
      h2{font-size:17px;margin:18px 0 8px}
      h3{font-size:14px;margin:14px 0 4px}
      .stage{border:1px solid var(--line);border-left:6px solid var(--skip);border-radius:6px;margin:16px 0;padding:2px 16px 12px}
      .stage.passed{border-left-color:var(--ok)}
      .stage.failed{border-left-color:var(--bad)}
      .stage.warned{border-left-color:var(--warn)}
      .badge{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--skip);margin-left:8px;vertical-align:2px}
      .badge.passed{background:var(--ok)}
      .badge.failed{background:var(--bad)}
      .badge.warned{background:var(--warn)}
      table{border-collapse:collapse;width:100%;margin:4px 0}
      th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
      th{background:var(--soft);font-weight:600;white-space:nowrap}
      td.short{white-space:nowrap}
      table.facts th{width:170px}
      td{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
      tr.failed td{background:#ffebe9}
      tr.warned td{background:#fff8c5}
      tr.skipped td{color:var(--skip)}
      nav ol{margin:0;padding-left:24px;columns:3}
      ul.items{margin:4px 0;padding-left:22px;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
      ul.todo{font-family:inherit;font-size:14px}
      .filter{margin:6px 0}
      .filter input{padding:4px 8px;width:340px;border:1px solid var(--line);border-radius:6px;font:inherit}
      .count{color:var(--skip);margin-left:10px}
      footer{color:var(--skip);font-size:12px;max-width:1240px;margin:0 auto;padding:0 32px 24px}
      @media print{
      @page{size:A4;margin:12mm}
      body{font-size:10pt}
      .banner,.badge,th,tr.failed td,tr.warned td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
      .banner{padding:8pt 10pt}
      main,footer{max-width:none;padding:0}
      .filter{display:none}
      tr[hidden]{display:table-row!important}
      thead{display:table-header-group}
      tr,.banner{break-inside:avoid}
      h2,h3{break-after:avoid}
      td{font-size:7.5pt}
      th{font-size:8pt}
      table.facts th{width:120pt}
      .stage{border-left-width:4pt}
      a{color:inherit}
      }
      """;

  /** Filters a searchable table as the reader types; marks the page when it ran to the end. */
  private static final String SCRIPT = """
      (function () {
        document.querySelectorAll('input[data-filter]').forEach(function (input) {
          var table = document.getElementById(input.getAttribute('data-filter'));
          var count = document.getElementById(input.getAttribute('data-count'));
          var rows = Array.prototype.slice.call(table.tBodies[0].rows);
          function apply() {
            var query = input.value.trim().toLowerCase();
            var shown = 0;
            rows.forEach(function (row) {
              var hit = query === '' || row.textContent.toLowerCase().indexOf(query) >= 0;
              row.hidden = !hit;
              if (hit) { shown++; }
            });
            count.textContent = shown + ' of ' + rows.length;
          }
          input.addEventListener('input', apply);
          apply();
        });
        document.documentElement.setAttribute('data-script', 'ok');
      })();
      """;

  private static final String POLICY = "default-src 'none'; style-src '" + hash(CSS) + "'; script-src '" + hash(SCRIPT)
      + "'; img-src data:; base-uri 'none'; form-action 'none'";
  private static final int SHORT_CELL = 20;
  private static final Pattern WEB_URL = Pattern.compile("https?://[^\\s\"'<>]+");

  private HtmlReport() {}

  public static byte[] bytes(ReleaseReport report) {
    return render(report).getBytes(StandardCharsets.UTF_8);
  }

  public static String render(ReleaseReport report) {
    StringBuilder html = new StringBuilder(64 * 1024);
    ReleaseReport.Banner banner = report.banner();
    html.append("<!DOCTYPE html>\n<html lang=\"en\" data-verdict=\"").append(banner.accepted() ? "accepted" : "not-accepted").append("\">\n");
    html.append("<head>\n<meta charset=\"utf-8\">\n");
    html.append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(POLICY).append("\">\n");
    html.append("<meta name=\"referrer\" content=\"no-referrer\">\n");
    html.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.append("<link rel=\"icon\" href=\"data:,\">\n");
    html.append("<title>releasegate: ").append(Escape.html(banner.title())).append("</title>\n");
    html.append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");

    html.append("<header id=\"banner\" class=\"banner ").append(banner.accepted() ? "ok" : "bad").append("\" role=\"status\">\n");
    html.append("<h1>").append(Escape.html(banner.title())).append("</h1>\n");
    items(html, banner.lines(), "", new Links(Map.of(), ""));
    html.append("</header>\n<main>\n");

    Links none = new Links(report.links(), "");
    html.append("<section id=\"release\">\n<h2>Release</h2>\n");
    facts(html, report.facts(), none);
    html.append("<p>Evidence bundle: <code>").append(Escape.html(report.bundle())).append("</code></p>\n");
    if (!report.readProblems().isEmpty()) {
      html.append("<h3>Could not read</h3>\n");
      items(html, report.readProblems(), "items", none);
    }
    html.append("</section>\n");

    html.append("<nav>\n<h2>Stages</h2>\n<ol>\n");
    for (int i = 0; i < report.sections().size(); i++) {
      Section section = report.sections().get(i);
      html.append("<li><a href=\"#").append(ReleaseReport.stageAnchor(i + 1)).append("\">").append(Escape.html(section.title())).append("</a>");
      badge(html, section);
      html.append("</li>\n");
    }
    html.append("</ol>\n</nav>\n");

    int tables = 0;
    for (int i = 0; i < report.sections().size(); i++) {
      Section section = report.sections().get(i);
      String anchor = ReleaseReport.stageAnchor(i + 1);
      Links links = new Links(report.links(), "#" + anchor);
      html.append("<section id=\"").append(anchor).append("\" class=\"stage ").append(section.status().id()).append("\">\n");
      html.append("<h2>").append(Escape.html(section.title()));
      badge(html, section);
      html.append("</h2>\n");
      facts(html, section.facts(), links);
      for (Block block : section.blocks()) {
        if (block instanceof Table table) {
          table(html, table, ++tables, links);
        } else if (block instanceof Items list) {
          html.append("<h3>").append(Escape.html(list.title())).append(" (").append(list.items().size()).append(")</h3>\n");
          items(html, list.items(), list.title().equals("What to do") ? "todo" : "items", links);
        }
      }
      html.append("</section>\n");
    }
    html.append("</main>\n<footer>Rendered by releasegate from the evidence bundle; the banner is the result of verifying it with the trust named under Verified with.</footer>\n");
    html.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void badge(StringBuilder html, Section section) {
    html.append("<span class=\"badge ").append(section.status().id()).append("\">").append(Escape.html(section.statusText())).append("</span>");
  }

  /**
   * The report's links as seen from one section: a link to the section itself is left out.
   *
   * @param here the section's own address, {@code #stage-N}; empty outside the stages
   */
  private record Links(Map<String, String> links, String here) {
    /** The value as HTML: a link when the report has one for exactly this value, else text. */
    String html(String text) {
      String escaped = Escape.html(text);
      String href = links.get(text);
      if (href == null || href.equals(here)) {
        return escaped;
      }
      return "<a href=\"" + Escape.html(href) + "\">" + escaped + "</a>";
    }
  }

  private static void facts(StringBuilder html, List<Fact> facts, Links links) {
    html.append("<table class=\"facts\">\n");
    for (Fact fact : facts) {
      html.append("<tr><th>").append(Escape.html(fact.label())).append("</th><td>").append(value(fact.value(), links)).append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  /** A value that is exactly a web address becomes a link (never a {@code javascript:} one); all else as {@link Links#html}. */
  private static String value(String text, Links links) {
    if (WEB_URL.matcher(text).matches()) {
      String escaped = Escape.html(text);
      return "<a href=\"" + escaped + "\" rel=\"noopener noreferrer\">" + escaped + "</a>";
    }
    return links.html(text);
  }

  private static void items(StringBuilder html, List<String> items, String css, Links links) {
    if (items.isEmpty()) {
      return;
    }
    html.append(css.isEmpty() ? "<ul>\n" : "<ul class=\"items " + css + "\">\n");
    items.forEach(item -> html.append("<li>").append(links.html(item)).append("</li>\n"));
    html.append("</ul>\n");
  }

  private static void table(StringBuilder html, Table table, int number, Links links) {
    html.append("<h3>").append(Escape.html(table.title())).append(" (").append(table.rows().size()).append(")</h3>\n");
    if (table.searchable()) {
      html.append("<div class=\"filter\"><input type=\"search\" placeholder=\"Filter by name, version, type…\" aria-label=\"Filter ")
          .append(Escape.html(table.title())).append("\" data-filter=\"table-").append(number).append("\" data-count=\"count-")
          .append(number).append("\"><span class=\"count\" id=\"count-").append(number).append("\"></span></div>\n");
    }
    html.append("<table id=\"table-").append(number).append("\">\n<thead><tr>");
    table.header().forEach(cell -> html.append("<th>").append(Escape.html(cell)).append("</th>"));
    html.append("</tr></thead>\n<tbody>\n");
    for (Row row : table.rows()) {
      html.append(row.tone().map(tone -> "<tr class=\"" + tone.id() + "\">").orElse("<tr>"));
      row.cells().forEach(cell -> html.append(isShort(cell) ? "<td class=\"short\">" : "<td>").append(links.html(cell)).append("</td>"));
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }

  /**
   * A short value without spaces (an id, a status, a version) is kept on one line; long ones (digests,
   * paths) may break anywhere, so that no table grows wider than the page.
   */
  private static boolean isShort(String cell) {
    return cell.length() <= SHORT_CELL && cell.indexOf(' ') < 0 && cell.indexOf('\n') < 0;
  }

  /** A CSP source expression for an inline element with exactly {@code content}. */
  private static String hash(String content) {
    byte[] digest = HexFormat.of().parseHex(Digests.sha256Hex(content.getBytes(StandardCharsets.UTF_8)));
    return "sha256-" + Base64.getEncoder().encodeToString(digest);
  }

  static String contentSecurityPolicy() {
    return POLICY;
  }
}
