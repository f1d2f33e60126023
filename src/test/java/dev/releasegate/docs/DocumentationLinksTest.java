package dev.releasegate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ link only to files of the repository that exist: a user who clones it has the
 * whole contract, and nothing points at a folder that is not in it.
 */
class DocumentationLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void everyRelativeLinkNamesAFileInTheRepository() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(page -> page.toString().endsWith(".md")).forEach(pages::add);
    }
    assertTrue(pages.size() >= 6, "the README and the docs: " + pages);
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : pages) {
      Matcher link = LINK.matcher(Files.readString(page));
      while (link.find()) {
        String target = link.group(1).replaceFirst("#.*$", "");
        if (target.isEmpty() || target.matches("[a-z]+:.*")) {
          continue;
        }
        links++;
        Path file = page.getParent().resolve(target).normalize();
        if (!file.startsWith(ROOT) || !Files.exists(file)) {
          broken.add(ROOT.relativize(page) + " -> " + link.group(1));
        }
      }
    }
    assertEquals(List.of(), broken);
    assertTrue(links > 10, "links were read: " + links);
  }

  @Test
  void theDocsCoverTheContracts() {
    for (String page : List.of("evidence-bundle.md", "registry-formats.md", "exit-codes.md", "pipeline.md", "security.md")) {
      assertTrue(Files.isRegularFile(ROOT.resolve("docs").resolve(page)), page);
    }
  }
}
