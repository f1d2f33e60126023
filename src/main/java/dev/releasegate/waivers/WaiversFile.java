package dev.releasegate.waivers;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Messages;
import dev.releasegate.process.ProjectPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * A waivers file, shared by the gates that accept waivers (the scan, the readiness lint):
 *
 * <pre>
 * waivers:
 *   - id: CVE-2019-18224
 *     package: libidn2-0          # the optional scope key, where the gate has one (the scan's package)
 *     reason: the service never passes user input to libidn2
 *     expires: 2026-12-31         # last day the waiver applies (UTC)
 * </pre>
 *
 * Read strictly, with positions: a waiver silences a finding, so a typo must not widen or keep one.
 * Every entry needs an id, a reason and an expiry date; an expired waiver no longer applies, and the
 * gate reports it.
 */
public final class WaiversFile {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private WaiversFile() {}

  /**
   * A file read from the project, with its bytes so that the evidence keeps exactly what was applied.
   *
   * @param name the path as the pipeline file gives it, relative to the project
   */
  public record Loaded(String name, byte[] content, List<Waiver> waivers) {
    public Loaded {
      content = content.clone();
      waivers = List.copyOf(waivers);
    }

    @Override
    public byte[] content() {
      return content.clone();
    }
  }

  /** Empty when {@code name} is a usable waivers option; otherwise what is wrong with it. */
  public static Optional<String> optionProblem(String name) {
    if (name.isBlank() || name.startsWith("/") || name.contains("..")) {
      return Optional.of("waivers must be a file relative to the project that stays inside it");
    }
    return Optional.empty();
  }

  /**
   * Reads and parses the file {@code name} of the project.
   *
   * @throws InvalidInputException when it is missing, leaves the project or is not a valid waivers file
   */
  public static Loaded read(Path project, String name, Optional<String> scopeKey) throws IOException {
    Path file = ProjectPaths.inside(project, name, "waivers");
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("waivers file " + name + " not found in the project");
    }
    byte[] content = Files.readAllBytes(file);
    return new Loaded(name, content, parse(content, name, scopeKey));
  }

  /**
   * Parses {@code content}; {@code file} is the name messages use. {@code scopeKey} names the one
   * optional key that narrows a waiver (the scan's {@code package}); without it only id, reason and
   * expires are allowed.
   *
   * @throws InvalidInputException listing every problem as {@code file:line:column: message}
   */
  public static List<Waiver> parse(byte[] content, String file, Optional<String> scopeKey) {
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
            readList(parser, file, scopeKey, waivers, problems);
          }
        }
        if (parser.nextToken() != null) {
          problems.add(at(file, parser.currentTokenLocation()) + "only one YAML document is allowed");
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      problems.add((where == null ? file + ": " : at(file, where)) + "not valid YAML: " + Messages.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      problems.add(file + ": cannot read: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
    return List.copyOf(waivers);
  }

  private static void readList(JsonParser parser, String file, Optional<String> scopeKey, List<Waiver> waivers,
      List<String> problems) throws IOException {
    List<String> keys = new ArrayList<>(List.of("id"));
    scopeKey.ifPresent(keys::add);
    keys.addAll(List.of("reason", "expires"));
    String shape = scopeKey.map(key -> "id, reason, expires and optional " + key).orElse("id, reason and expires");
    int index = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      index++;
      JsonLocation start = parser.currentTokenLocation();
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        problems.add(at(file, start) + "waiver " + index + ": expected a mapping with " + shape);
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
        if (!keys.contains(key)) {
          entryProblems.add(new Problem(keyAt, "unknown key '" + key + "' (allowed: " + String.join(", ", keys) + ")"));
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
      if (scopeKey.isPresent() && fields.containsKey(scopeKey.get()) && fields.get(scopeKey.get()).isEmpty()) {
        String key = scopeKey.get();
        entryProblems.add(new Problem(startAt, "'" + key + "' must not be empty; leave it out to cover every " + key));
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
        waivers.add(new Waiver(fields.get("id"), scopeKey.map(fields::get), fields.get("reason"), expires, start.getLineNr()));
      }
    }
  }

  /** A problem in one entry, before the entry's label is known. */
  private record Problem(String at, String message) {}

  private static String at(String file, JsonLocation location) {
    return file + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
  }
}
