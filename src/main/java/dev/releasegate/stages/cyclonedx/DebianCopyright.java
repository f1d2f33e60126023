package dev.releasegate.stages.cyclonedx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyclonedx.model.Bom;

/**
 * Licences of a Debian package, read from {@code /usr/share/doc/PKG/copyright} only when that file
 * is machine-readable (DEP-5, copyright-format 1.0): then every {@code License:} field names its
 * licence in a short form. Free-form copyright files give no licence; guessing from prose would put
 * claims into the SBOM that nobody made.
 */
final class DebianCopyright {
  /** Splits "GPL-2+ or Artistic-2.0, and MIT" into its licences; "with X exception" stays attached. */
  private static final Pattern OPERATORS = Pattern.compile("\\s+(?:or|and)\\s+|\\s*,\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern GNU = Pattern.compile("(A?GPL|LGPL|GFDL)-(\\d+(?:\\.\\d+)?)(\\+)?", Pattern.CASE_INSENSITIVE);
  /** DEP-5 short names that are not SPDX ids but mean exactly one SPDX licence. */
  private static final Map<String, String> DEP5_NAMES = Map.of("expat", "MIT", "apache-2", "Apache-2.0");
  private static final Map<String, String> SPDX = spdxIds();

  private DebianCopyright() {}

  /** The distinct licence names of a DEP-5 file, sorted; empty when the file is not machine-readable. */
  static Optional<List<String>> licenses(byte[] content) {
    List<Map<String, String>> paragraphs = Dpkg.paragraphs(new String(content, StandardCharsets.UTF_8));
    if (paragraphs.isEmpty() || !machineReadable(paragraphs.get(0).get("format"))) {
      return Optional.empty();
    }
    TreeSet<String> names = new TreeSet<>();
    for (Map<String, String> paragraph : paragraphs) {
      String license = paragraph.get("license");
      if (license == null) {
        continue;
      }
      // The first line is the synopsis (the short name); further lines are the licence text.
      String synopsis = license.lines().findFirst().orElse("").strip();
      for (String name : OPERATORS.split(synopsis)) {
        if (!name.isBlank()) {
          names.add(name.strip());
        }
      }
    }
    return Optional.of(List.copyOf(names));
  }

  private static boolean machineReadable(String format) {
    if (format == null) {
      return false;
    }
    String value = format.toLowerCase(Locale.ROOT);
    return value.contains("copyright-format") || value.contains("dep5") || value.contains("dep-5");
  }

  /**
   * The SPDX id a DEP-5 short name stands for, if it stands for exactly one: SPDX ids themselves
   * (compared without case, as SPDX says), {@code GPL-2+} → {@code GPL-2.0-or-later}, {@code GPL-2}
   * → {@code GPL-2.0-only}, {@code Expat} → {@code MIT}.
   */
  static Optional<String> spdxId(String name) {
    // GNU licences first: "GPL-2.0+" is also a (deprecated) SPDX id, GPL-2.0-or-later is the current one.
    Matcher gnu = GNU.matcher(name);
    if (gnu.matches()) {
      String version = gnu.group(2).contains(".") ? gnu.group(2) : gnu.group(2) + ".0";
      String id = gnu.group(1) + "-" + version + (gnu.group(3) != null ? "-or-later" : "-only");
      return Optional.ofNullable(SPDX.get(id.toLowerCase(Locale.ROOT)));
    }
    String key = name.toLowerCase(Locale.ROOT);
    if (SPDX.containsKey(key)) {
      return Optional.of(SPDX.get(key));
    }
    return Optional.ofNullable(DEP5_NAMES.get(key));
  }

  /**
   * The SPDX licence ids CycloneDX accepts in {@code license.id}: the enum of the spdx.schema.json
   * that cyclonedx-core-java validates against, so an id we emit can never fail validation.
   */
  private static Map<String, String> spdxIds() {
    Map<String, String> ids = new HashMap<>();
    try (InputStream in = Bom.class.getResourceAsStream("/spdx.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("cyclonedx-core-java has no spdx.schema.json on the class path");
      }
      JsonNode schema = Json.MAPPER.readTree(in);
      for (JsonNode id : schema.path("enum")) {
        ids.put(id.asText().toLowerCase(Locale.ROOT), id.asText());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read spdx.schema.json from cyclonedx-core-java: " + e.getMessage(), e);
    }
    if (ids.isEmpty()) {
      throw new IllegalStateException("spdx.schema.json of cyclonedx-core-java lists no licence ids");
    }
    return Map.copyOf(ids);
  }
}
