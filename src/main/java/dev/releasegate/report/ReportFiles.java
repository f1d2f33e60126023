package dev.releasegate.report;

import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every file of a bundle copied into a folder beside the report page ({@code report.html} gets
 * {@code report-files/}), so that each file the page lists opens with a click and can be checked
 * against the sha256 the page shows. The copies are byte for byte; a file a browser would run as a
 * page (HTML, SVG, XML and the like) gets {@code .txt} appended to its copy's name, so that it opens as
 * text: the bundle's files come from the build, and the page must not lend them a way to run script.
 *
 * <p>The folder is written whole or not at all (a temporary sibling, then a rename), and an existing
 * folder is replaced only when an earlier report wrote it.
 */
public final class ReportFiles {
  /** Marks a folder this class wrote, and so may replace. */
  static final String MARKER = ".releasegate-report-files";
  private static final Set<String> ACTIVE_EXTENSIONS =
      Set.of("html", "htm", "shtml", "xhtml", "xht", "svg", "xml", "xsl", "xslt", "mht", "mhtml");

  private ReportFiles() {}

  /** The folder beside {@code page} that holds the copies. */
  public static Path folderOf(Path page) {
    String name = page.getFileName().toString();
    String stem = name.replaceFirst("\\.(?i:html?)$", "");
    return page.resolveSibling(stem + "-files");
  }

  /**
   * Copies the regular files of {@code bundle} beside {@code page}.
   *
   * @return each file's path in the bundle ({@code statements/01-test.dsse.json}) to the address of its
   *     copy relative to the page
   * @throws InvalidInputException when the folder exists and no report wrote it
   */
  public static Map<String, String> write(Path bundle, Path page) throws IOException {
    Path folder = folderOf(page.toAbsolutePath());
    if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)
        && !(Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) && Files.exists(folder.resolve(MARKER), LinkOption.NOFOLLOW_LINKS))) {
      throw new InvalidInputException(folder + " exists and no report wrote it; move it away or write the page elsewhere");
    }
    Path temp = Files.createTempDirectory(folder.getParent(), "." + folder.getFileName() + "-");
    try {
      Map<String, String> links = new HashMap<>();
      for (Path file : files(bundle)) {
        String relative = bundle.relativize(file).toString().replace('\\', '/');
        String copy = relative + (isActive(relative) ? ".txt" : "");
        Path target = temp.resolve(copy);
        Files.createDirectories(target.getParent());
        Files.copy(file, target, LinkOption.NOFOLLOW_LINKS);
        links.put(relative, href(folder.getFileName() + "/" + copy));
      }
      Files.createFile(temp.resolve(MARKER));
      if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
        delete(folder);
      }
      Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
      return links;
    } finally {
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        delete(temp);
      }
    }
  }

  private static List<Path> files(Path bundle) throws IOException {
    try (Stream<Path> walk = Files.walk(bundle)) {
      return walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
  }

  private static boolean isActive(String path) {
    int dot = path.lastIndexOf('.');
    return dot > path.lastIndexOf('/') && ACTIVE_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /**
   * A relative address with every character a path may not hold escaped ({@code #}, {@code ?},
   * spaces), starting with {@code ./} so that a colon in the first segment never reads as a scheme.
   */
  private static String href(String path) {
    try {
      return new URI(null, null, "./" + path, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a relative path: " + path, e);
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
