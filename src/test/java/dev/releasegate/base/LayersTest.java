package dev.releasegate.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What each package may import of releasegate: a ratchet. An import outside its row fails this test;
 * removing an upward import means removing it from the row too, so the layering only ever gets
 * cleaner. {@code base} imports nothing, and everything may import it. {@code api} is the top: only
 * {@code cli} imports it. {@code api.run} (the events and result of a release) is public surface too,
 * but a layer of its own below {@code pipeline}, which produces them. {@code registry} knows nothing of
 * stages: it is the HTTP client, and {@code stages.StageRegistries} joins it to a stage's context.
 */
class LayersTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/releasegate");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.releasegate\\.((?:[a-z]+\\.)*)[A-Z]", Pattern.MULTILINE);

  private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
      Map.entry("base", Set.of()),
      Map.entry("spi", Set.of("base")),
      Map.entry("sign", Set.of("base", "spi")),
      Map.entry("git", Set.of("base", "spi")),
      Map.entry("process", Set.of("base", "spi")),
      Map.entry("ci", Set.of("spi")),
      Map.entry("baseimage", Set.of("base")),
      Map.entry("evidence", Set.of("base", "sign", "spi")),
      Map.entry("registry", Set.of("", "base")),
      Map.entry("image", Set.of("base", "registry", "spi")),
      Map.entry("waivers", Set.of("base", "process", "spi")),
      Map.entry("cosign", Set.of("base", "evidence", "registry", "sign", "spi")),
      Map.entry("publish", Set.of("base", "cosign", "evidence", "registry", "sign", "spi")),
      Map.entry("promote", Set.of("base", "cosign", "evidence", "publish", "registry", "spi")),
      Map.entry("report", Set.of("base", "evidence", "spi")),
      Map.entry("api.run", Set.of("base", "evidence", "publish")),
      Map.entry("pipeline", Set.of("", "api.run", "base", "ci", "evidence", "process", "publish", "registry", "report", "spi")),
      Map.entry("stages", Set.of("", "base", "cosign", "evidence", "image", "process", "registry", "spi", "stages", "waivers")),
      Map.entry("api", Set.of("api.run", "base", "ci", "cosign", "evidence", "git", "pipeline", "process", "promote", "publish", "registry", "report", "sign", "spi")),
      Map.entry("cli", Set.of("api", "api.run", "base", "cosign", "evidence", "publish", "report", "sign")));

  @Test
  void everyPackageImportsOnlyWhatItsRowAllows() throws IOException {
    Map<String, Set<String>> outside = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(file -> file.toString().endsWith(".java")).toList()) {
        Path relative = SOURCES.relativize(file.getParent() == null ? SOURCES : file.getParent());
        String layer = relative.getNameCount() == 0 || relative.toString().isEmpty() ? "" : layerOf(relative.toString().replace('/', '.'));
        if (layer.isEmpty()) {
          continue; // ToolVersion, at the root: the version string, imported by anyone
        }
        Set<String> allowed = MAY_IMPORT.get(layer);
        if (allowed == null) {
          outside.computeIfAbsent(layer, key -> new TreeSet<>()).add("(a package with no row)");
          continue;
        }
        Matcher matcher = IMPORT.matcher(read(file));
        while (matcher.find()) {
          String imported = matcher.group(1).isEmpty() ? "" : layerOf(matcher.group(1).substring(0, matcher.group(1).length() - 1));
          if (!imported.equals(layer) && !allowed.contains(imported)) {
            outside.computeIfAbsent(layer, key -> new TreeSet<>()).add(SOURCES.relativize(file) + " imports " + imported);
          }
        }
      }
    }
    assertEquals(Map.of(), outside, outside.values().stream().flatMap(Set::stream).collect(Collectors.joining("\n")));
  }

  @Test
  void everyPackageSaysWhatItIsForInItsPackageInfo() throws IOException {
    try (Stream<Path> dirs = Files.walk(SOURCES)) {
      List<String> without = dirs.filter(Files::isDirectory)
          .filter(dir -> {
            try (Stream<Path> files = Files.list(dir)) {
              return files.anyMatch(file -> file.toString().endsWith(".java"));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .filter(dir -> !Files.isRegularFile(dir.resolve("package-info.java")))
          .map(Path::toString).toList();
      assertEquals(List.of(), without);
    }
  }

  /** The layer of a package: its first name, or its first two where those have a row of their own. */
  private static String layerOf(String packageName) {
    String[] names = packageName.split("\\.");
    return names.length > 1 && MAY_IMPORT.containsKey(names[0] + "." + names[1]) ? names[0] + "." + names[1] : names[0];
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
