package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.releasegate.api.InvalidInputException;
import dev.releasegate.evidence.Json;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The waivers file: accepted findings, each with a reason and an expiry date.
 *
 * <pre>
 * waivers:
 *   - id: CVE-2019-18224
 *     package: libidn2-0          # optional: without it the waiver covers the id in every package
 *     reason: the service never passes user input to libidn2
 *     expires: 2026-12-31         # last day the waiver applies (UTC)
 * </pre>
 *
 * Read strictly, with positions: a waiver silences a finding, so a typo must not widen or keep one.
 */
final class Waivers {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final Set<String> KEYS = Set.of("id", "package", "reason", "expires");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private Waivers() {}

  /**
   * One waiver.
   *
   * @param pkg the PkgName it is limited to, if any
   * @param expires the last day (UTC) on which it applies
   * @param line where it starts in the file, for messages and evidence
   */
  record Waiver(String id, Optional<String> pkg, String reason, LocalDate expires, int line) {

    boolean covers(Finding finding) {
      return id.equals(finding.id()) && pkg.map(finding.pkgName()::equals).orElse(true);
    }

    boolean expiredOn(LocalDate today) {
      return today.isAfter(expires);
    }

    /** {@code CVE-1 (pkg)} or {@code CVE-1}. */
    String label() {
      return id + pkg.map(name -> " (" + name + ")").orElse("");
    }

    ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("id", id);
      pkg.ifPresent(name -> node.put("package", name));
      node.put("reason", reason);
      node.put("expires", expires.toString());
      node.put("line", line);
      return node;
    }
  }

  /**
   * Parses {@code content}; {@code file} is the name messages use.
   *
   * @throws InvalidInputException listing every problem as {@code file:line:column: message}
   */
  static List<Waiver> parse(byte[] content, String file) {
    List<String> problems = new ArrayList<>();
    List<Waiver> waivers = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(content)) {
      JsonToken token = parser.nextToken();
      if (token != JsonToken.START_OBJECT) {
        problems.add(at(file, parser.currentTokenLocation()) + "expected a mapping with the key 'waivers'");
      } else {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String keyAt = at(file, parser.currentTokenLocation());
          JsonToken value = parser.nextToken();
          if (!key.equals("waivers")) {
            problems.add(keyAt + "unknown key '" + key + "'; the file holds only 'waivers'");
            parser.skipChildren();
          } else if (value != JsonToken.START_ARRAY) {
            problems.add(keyAt + "'waivers' must be a list");
            parser.skipChildren();
          } else {
            readList(parser, file, waivers, problems);
          }
        }
        if (parser.nextToken() != null) {
          problems.add(at(file, parser.currentTokenLocation()) + "only one YAML document is allowed");
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      problems.add((where == null ? file + ": " : at(file, where)) + "not valid YAML: " + TrivyReport.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      problems.add(file + ": cannot read: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
    return List.copyOf(waivers);
  }

  private static void readList(JsonParser parser, String file, List<Waiver> waivers, List<String> problems)
      throws IOException {
    int index = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      index++;
      JsonLocation start = parser.currentTokenLocation();
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        problems.add(at(file, start) + "waiver " + index + ": expected a mapping with id, reason, expires and optional package");
        parser.skipChildren();
        continue;
      }
      Map<String, String> fields = new LinkedHashMap<>();
      Set<String> mistyped = new HashSet<>();
      List<Problem> entryProblems = new ArrayList<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        String keyAt = at(file, parser.currentTokenLocation());
        JsonToken value = parser.nextToken();
        if (!KEYS.contains(key)) {
          entryProblems.add(new Problem(keyAt, "unknown key '" + key + "' (allowed: id, package, reason, expires)"));
          parser.skipChildren();
        } else if (fields.containsKey(key) || mistyped.contains(key)) {
          entryProblems.add(new Problem(keyAt, "duplicate key '" + key + "'"));
          parser.skipChildren();
        } else if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
          entryProblems.add(new Problem(keyAt, "'" + key + "' must be a string"));
          mistyped.add(key);
          parser.skipChildren();
        } else {
          fields.put(key, value == JsonToken.VALUE_NULL ? "" : parser.getText().strip());
        }
      }
      String startAt = at(file, start);
      for (String required : List.of("id", "reason", "expires")) {
        if (fields.getOrDefault(required, "").isEmpty() && !mistyped.contains(required)) {
          entryProblems.add(new Problem(startAt, "'" + required + "' is required" + (required.equals("expires") ? " (YYYY-MM-DD)" : "")));
        }
      }
      if (fields.containsKey("package") && fields.get("package").isEmpty()) {
        entryProblems.add(new Problem(startAt, "'package' must not be empty; leave it out to cover every package"));
      }
      LocalDate expires = null;
      String expiresText = fields.getOrDefault("expires", "");
      if (!expiresText.isEmpty()) {
        try {
          // LocalDate.parse alone would also accept +10000-01-01; the pattern keeps the documented form.
          if (!DATE.matcher(expiresText).matches()) {
            throw new DateTimeParseException("not YYYY-MM-DD", expiresText, 0);
          }
          expires = LocalDate.parse(expiresText);
        } catch (DateTimeParseException e) {
          entryProblems.add(new Problem(startAt, "'expires' must be a date YYYY-MM-DD, got '" + expiresText + "'"));
        }
      }
      String label = "waiver " + index + (fields.getOrDefault("id", "").isEmpty() ? "" : " (" + fields.get("id") + ")") + ": ";
      entryProblems.forEach(problem -> problems.add(problem.at() + label + problem.message()));
      if (entryProblems.isEmpty()) {
        waivers.add(new Waiver(fields.get("id"), Optional.ofNullable(fields.get("package")), fields.get("reason"),
            expires, start.getLineNr()));
      }
    }
  }

  /** A problem in one entry, before the entry's label is known. */
  private record Problem(String at, String message) {}

  private static String at(String file, JsonLocation location) {
    return file + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
  }
}
