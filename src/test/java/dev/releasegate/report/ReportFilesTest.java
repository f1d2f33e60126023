package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
  @TempDir Path work;

  @Test
  void copiesEveryFileAndLinksItWithAnEscapedRelativeAddress() throws IOException {
    Path bundle = Files.createDirectories(work.resolve("bundle"));
    Files.createDirectories(bundle.resolve("reports"));
    Files.writeString(bundle.resolve("reports/junit.xml"), "<testsuite/>");
    Files.writeString(bundle.resolve("reports/page.HTML"), "<script>alert(1)</script>");
    Files.writeString(bundle.resolve("a b#c?.json"), "{}");
    Files.writeString(bundle.resolve("bundle.json"), "{\"stages\":[]}");

    Map<String, String> links = ReportFiles.write(bundle, work.resolve("audit.html"));

    assertEquals(Map.of(
        "reports/junit.xml", "./audit-files/reports/junit.xml.txt",
        "reports/page.HTML", "./audit-files/reports/page.HTML.txt",
        "a b#c?.json", "./audit-files/a%20b%23c%3F.json",
        "bundle.json", "./audit-files/bundle.json"), links);
    assertEquals("<testsuite/>", Files.readString(work.resolve("audit-files/reports/junit.xml.txt")), "the bytes, under a name that opens as text");
    assertEquals("{}", Files.readString(work.resolve("audit-files/a b#c?.json")));
    try (Stream<Path> left = Files.list(work)) {
      assertEquals(List.of("audit-files", "bundle"), left.map(path -> path.getFileName().toString()).sorted().toList(), "no temporary folder left");
    }
  }

  @Test
  void aFileWhereTheFolderWouldGoIsNeverReplaced() throws IOException {
    Path bundle = Files.createDirectories(work.resolve("bundle"));
    Files.writeString(bundle.resolve("bundle.json"), "{}");
    Files.writeString(work.resolve("report-files"), "mine");

    InvalidInputException refused = assertThrows(InvalidInputException.class, () -> ReportFiles.write(bundle, work.resolve("report.html")));

    assertTrue(refused.getMessage().endsWith("report-files exists and no report wrote it; move it away or write the page elsewhere"), refused.getMessage());
    assertEquals("mine", Files.readString(work.resolve("report-files")));
  }

  @Test
  void theFolderIsNamedForThePage() {
    assertEquals(Path.of("/x/report-files"), ReportFiles.folderOf(Path.of("/x/report.html")));
    assertEquals(Path.of("/x/audit-files"), ReportFiles.folderOf(Path.of("/x/audit.HTM")));
    assertEquals(Path.of("/x/page.txt-files"), ReportFiles.folderOf(Path.of("/x/page.txt")));
  }
}
