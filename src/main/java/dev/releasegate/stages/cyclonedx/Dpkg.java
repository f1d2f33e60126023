package dev.releasegate.stages.cyclonedx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian package records: dpkg's status database ({@code /var/lib/dpkg/status}) and the one-file-per-
 * package form distroless images use ({@code /var/lib/dpkg/status.d/NAME}), both in Debian control
 * syntax (deb-control(5)).
 */
final class Dpkg {
  private static final Pattern SOURCE = Pattern.compile("(\\S+)(?:\\s*\\((\\S+)\\))?");

  private Dpkg() {}

  /**
   * One installed binary package.
   *
   * @param source the source package, or {@code name} when the record names none
   * @param sourceVersion the source version, or {@code version} when the record gives none
   * @param depends Depends and Pre-Depends as alternatives: each inner list is "a | b | c"
   * @param provides virtual package names this package provides
   */
  record Package(String name, String version, String architecture, String source, String sourceVersion,
      String description, List<List<String>> depends, List<String> provides) {}

  /**
   * The installed packages in a status file. Records without Package or Version are skipped; so are
   * records whose Status says they are not installed (status.d files have no Status field: everything
   * listed there is installed).
   */
  static List<Package> parse(byte[] content) {
    List<Package> packages = new ArrayList<>();
    for (Map<String, String> fields : paragraphs(new String(content, StandardCharsets.UTF_8))) {
      String name = fields.get("package");
      String version = fields.get("version");
      if (name == null || version == null || !installed(fields.get("status"))) {
        continue;
      }
      String source = name;
      String sourceVersion = version;
      String sourceField = fields.get("source");
      if (sourceField != null) {
        Matcher matcher = SOURCE.matcher(sourceField.strip());
        if (matcher.matches()) {
          source = matcher.group(1);
          if (matcher.group(2) != null) {
            sourceVersion = matcher.group(2);
          }
        }
      }
      String description = fields.getOrDefault("description", "").lines().findFirst().orElse("").strip();
      List<List<String>> depends = new ArrayList<>(relations(fields.get("pre-depends")));
      depends.addAll(relations(fields.get("depends")));
      List<String> provides = relations(fields.get("provides")).stream().map(alternatives -> alternatives.get(0)).toList();
      packages.add(new Package(name, version, fields.getOrDefault("architecture", ""), source, sourceVersion, description,
          depends, provides));
    }
    return packages;
  }

  /** "install ok installed" and "hold ok installed" are installed; half-installed or removed ones are not. */
  private static boolean installed(String status) {
    if (status == null) {
      return true;
    }
    String[] words = status.strip().split("\\s+");
    return words.length == 3 && words[2].equals("installed");
  }

  /** "a (>= 1), b:any | c" → [[a], [b, c]]: names only, without versions or architecture qualifiers. */
  static List<List<String>> relations(String field) {
    List<List<String>> relations = new ArrayList<>();
    if (field == null || field.isBlank()) {
      return relations;
    }
    for (String group : field.split(",")) {
      List<String> alternatives = new ArrayList<>();
      for (String alternative : group.split("\\|")) {
        String name = alternative.strip().split("[\\s(\\[<]", 2)[0];
        int colon = name.indexOf(':');
        if (colon > 0) {
          name = name.substring(0, colon);
        }
        if (!name.isEmpty()) {
          alternatives.add(name);
        }
      }
      if (!alternatives.isEmpty()) {
        relations.add(alternatives);
      }
    }
    return relations;
  }

  /**
   * Control paragraphs: "Field: value" lines, continuation lines starting with space or tab, blank
   * lines between paragraphs. Field names are case-insensitive, so they are lower-cased here.
   */
  static List<Map<String, String>> paragraphs(String text) {
    List<Map<String, String>> paragraphs = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    String field = null;
    for (String line : text.split("\r?\n", -1)) {
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          paragraphs.add(current);
          current = new LinkedHashMap<>();
        }
        field = null;
      } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (field != null) {
          current.merge(field, "\n" + line.strip(), String::concat);
        }
      } else if (line.charAt(0) == '#') {
        continue;
      } else {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          field = null;
          continue;
        }
        field = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        current.put(field, line.substring(colon + 1).strip());
      }
    }
    if (!current.isEmpty()) {
      paragraphs.add(current);
    }
    return paragraphs;
  }
}
