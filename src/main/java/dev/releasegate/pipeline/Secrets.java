package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets a run holds, so that none of them leaves: they are cut from the environment of every
 * subprocess and replaced by {@code ***} wherever they could be echoed: literally, and in the forms
 * a program writes a secret in without meaning to (base64 at any alignment, hex, URL-encoded).
 */
final class Secrets {
  /** Variables releasegate itself reads; a stage's subprocess has no business with them. */
  static final List<String> VARIABLES =
      List.of("COSIGN_PASSWORD", "RELEASEGATE_REGISTRY_PASSWORD", "ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  /** Shorter encoded fragments would match ordinary text. */
  private static final int MIN_FRAGMENT = 8;
  /**
   * A shorter value cannot be told from ordinary text: a one-letter password would blank out that
   * letter in every log. It is still kept from subprocesses, and the run says it is not redacted.
   */
  static final int MIN_REDACTED = 4;
  private static final String MASK = "***";
  /** How much of a stream is searched at a time. */
  static final int WINDOW = 1 << 20;

  private final Map<String, String> environment;
  /** Every variable that holds a secret, by name, so that a finding can name it and never the value. */
  private final Set<String> variables = ConcurrentHashMap.newKeySet();
  /** Each form a secret may take, to the variable and the form's name. */
  private final Map<String, String> forms = new ConcurrentHashMap<>();
  private final Set<String> tooShort = ConcurrentHashMap.newKeySet();

  Secrets(Map<String, String> environment) {
    this.environment = environment;
    VARIABLES.forEach(this::read);
  }

  /** Reads a secret variable and remembers its value, in every form, for redaction. */
  String read(String variable) {
    variables.add(variable);
    String value = environment.get(variable);
    add(variable, value);
    return value;
  }

  private void add(String variable, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    if (value.length() < MIN_REDACTED) {
      tooShort.add(variable);
      return;
    }
    forms.put(value, variable);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    // Upper- and lower-case hex of a value of digits are the same text: a map that keeps both.
    Map<String, String> encodings = new HashMap<>();
    encodings.put(URLEncoder.encode(value, StandardCharsets.UTF_8), " (URL-encoded)");
    encodings.put(HexFormat.of().formatHex(bytes), " (hex)");
    encodings.put(HexFormat.of().withUpperCase().formatHex(bytes), " (hex)");
    encodings.forEach((encoded, form) -> {
      if (encoded.length() >= MIN_FRAGMENT && !encoded.equals(value)) {
        forms.putIfAbsent(encoded, variable + form);
      }
    });
    for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      // The secret inside a longer base64 text ("user:password" in a basic auth header) lies at one of
      // three alignments; the characters that depend on it alone are the same at each.
      for (int offset = 0; offset < 3; offset++) {
        byte[] padded = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, padded, offset, bytes.length);
        String encoded = encoder.withoutPadding().encodeToString(padded);
        int from = (offset * 4 + 2) / 3;
        int to = (offset + bytes.length) * 4 / 3;
        if (to - from >= MIN_FRAGMENT) {
          forms.putIfAbsent(encoded.substring(from, to), variable + " (base64)");
        }
      }
    }
  }

  /**
   * Learns the secrets in the files the project's commands must not read, so that a command that read
   * them anyway (where there is no sandbox) cannot carry them out: the body lines of a PEM key, and
   * the credentials of a docker or containers auth file ({@code auths.*.auth} and the password in it).
   */
  void readFiles(List<Path> files) {
    for (Path path : files) {
      Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (content.startsWith("-----BEGIN")) {
          content.lines().filter(line -> !line.startsWith("-----") && line.length() >= MIN_FRAGMENT)
              .forEach(line -> add(file.getFileName().toString(), line.strip()));
        } else {
          JsonNode auths = Json.parse(content.getBytes(StandardCharsets.UTF_8)).path("auths");
          auths.forEach(entry -> {
            for (String field : List.of("auth", "identitytoken", "registrytoken", "password")) {
              String value = entry.path(field).asText("");
              add(file.getFileName().toString(), value);
              if (field.equals("auth")) {
                try {
                  String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                  add(file.getFileName().toString(), decoded.substring(decoded.indexOf(':') + 1));
                } catch (IllegalArgumentException notBase64) {
                  // The raw value is redacted already.
                }
              }
            }
          });
        }
      } catch (IOException | RuntimeException unreadable) {
        // A file that cannot be read as a key or an auth file holds nothing this run can learn.
      }
    }
  }

  /** Variables whose value is too short to redact without blanking out ordinary text. */
  Set<String> tooShortToRedact() {
    return Set.copyOf(tooShort);
  }

  /** Every variable a secret is read from; none of them reaches a subprocess. */
  Set<String> variables() {
    return Set.copyOf(variables);
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String form : sortedForms()) {
      result = result.replace(form, MASK);
    }
    return result;
  }

  /** The bytes with every form of every secret replaced, or empty when none was there. */
  Optional<byte[]> redact(byte[] content) {
    String bytes = new String(content, StandardCharsets.ISO_8859_1);
    String result = bytes;
    for (String form : sortedForms()) {
      result = result.replace(asBytes(form), MASK);
    }
    return result.equals(bytes) ? Optional.empty() : Optional.of(result.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Which secret, in which form, {@code content} holds; never the value. The stream is read to its end
   * (and not closed) in windows that overlap by the longest form, so that a file of any size is searched
   * whole in a bounded amount of memory.
   */
  Optional<String> find(InputStream content) throws IOException {
    List<String> sorted = sortedForms();
    if (sorted.isEmpty()) {
      return Optional.empty();
    }
    int overlap = asBytes(sorted.get(0)).length() - 1;
    String carried = "";
    while (true) {
      // readNBytes allocates what it read, not the whole window: most files are a few KiB.
      byte[] read = content.readNBytes(WINDOW);
      String window = carried + new String(read, StandardCharsets.ISO_8859_1);
      Optional<String> found = find(window, sorted);
      if (found.isPresent() || read.length < WINDOW) {
        return found;
      }
      carried = window.substring(window.length() - Math.min(overlap, window.length()));
    }
  }

  private Optional<String> find(String bytes, List<String> sorted) {
    for (String form : sorted) {
      if (bytes.contains(asBytes(form))) {
        return Optional.of(forms.get(form));
      }
    }
    return Optional.empty();
  }

  /** Longest first, so that a longer form is replaced before a fragment of it. */
  private List<String> sortedForms() {
    List<String> sorted = new ArrayList<>(forms.keySet());
    sorted.sort((a, b) -> Integer.compare(asBytes(b).length(), asBytes(a).length()));
    return sorted;
  }

  /**
   * A form's UTF-8 bytes as one character each: searched in content decoded the same way, the JDK's
   * vectorised string search finds exactly the form's bytes, about three times as fast as a byte loop.
   */
  private static String asBytes(String form) {
    return new String(form.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  Map<String, String> subprocessEnvironment() {
    Map<String, String> copy = new HashMap<>(environment);
    variables.forEach(copy::remove);
    return Map.copyOf(copy);
  }
}
