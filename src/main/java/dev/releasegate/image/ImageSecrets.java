package dev.releasegate.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What looks like a secret in what an image carries: its config's name/value pairs (environment,
 * labels, arguments) and text. Every rule answers with the <em>kind</em> of secret, never the value,
 * so that a finding can be printed, signed and published. The readiness lint rejects on these rules;
 * every stage that copies config values into evidence (the SBOM's label properties, the scan report)
 * writes {@link #marker} in place of a value they flag, so the same rules decide what is published.
 */
public final class ImageSecrets {
  /** Parts of a variable or label name that say its value is a secret. */
  private static final List<String> SECRET_NAME_PARTS =
      List.of("PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL");
  /** Whole words of a name that say the same ({@code GH_PAT}), but are too short to look for inside words ({@code PATH}). */
  private static final List<String> SECRET_NAME_WORDS = List.of("PAT", "PW");
  /**
   * Suffixes of names whose value points at a secret instead of holding it ({@code DB_PASSWORD_FILE=/run/secrets/db}),
   * which is the recommended way to hand secrets to a container.
   */
  private static final List<String> REFERENCE_SUFFIXES = List.of("_FILE", "_PATH", "_DIR");
  /** AWS access key ids; AWS's documentation examples all end in EXAMPLE. */
  private static final Pattern AWS_KEY_ID = Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)(?![A-Z0-9]{9}EXAMPLE)[A-Z0-9]{16}(?![A-Z0-9])");
  /** GitHub's classic (personal, OAuth, user, server, refresh) and fine-grained tokens. */
  private static final Pattern GITHUB_TOKEN =
      Pattern.compile("(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,255})(?![A-Za-z0-9_])");
  private static final List<String> GITHUB_PREFIXES = List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_");
  private static final Pattern GOOGLE_API_KEY = Pattern.compile("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])");
  /** {@code scheme://user:password@}. */
  public static final Pattern URL_CREDENTIALS = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s/@:]+:[^\\s/@]+@");
  /** PKCS#1/#8, EC, OpenSSH, encrypted and cosign keys, and ASCII-armored PGP secret keys: the header line. */
  public static final Pattern PEM_PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----");
  /** {@code pw=hunter2} inside a value; a reference such as {@code password=${DB_PW}} is none. */
  private static final Pattern ASSIGNED_SECRET =
      Pattern.compile("(?i)(?<![A-Za-z0-9])(?:pw|pwd|pass|passwd|password|secret|token|api[_-]?key)\\s*=\\s*(?![$<{])[^\\s;,&]+");
  private static final String MARKER = "[removed by releasegate: %s]";

  private ImageSecrets() {}

  /** True for names such as {@code DB_PASSWORD}, {@code GH_PAT} or {@code com.example.api-token}, but not {@code DB_PASSWORD_FILE}. */
  public static boolean secretName(String name) {
    String upper = name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    if (REFERENCE_SUFFIXES.stream().anyMatch(upper::endsWith)) {
      return false;
    }
    return SECRET_NAME_PARTS.stream().anyMatch(upper::contains) || List.of(upper.split("_")).stream().anyMatch(SECRET_NAME_WORDS::contains);
  }

  /**
   * The kinds of token that {@code text} holds, whatever surrounds them: cloud and GitHub credentials.
   * Each pattern runs only where its fixed prefix occurs: {@link String#contains} runs at memory speed,
   * a pattern with a look-behind at every position does not, and whole images pass through here.
   */
  public static List<String> tokens(String text) {
    List<String> kinds = new ArrayList<>();
    if ((text.contains("AKIA") || text.contains("ASIA")) && AWS_KEY_ID.matcher(text).find()) {
      kinds.add("an AWS access key id");
    }
    if (GITHUB_PREFIXES.stream().anyMatch(text::contains) && GITHUB_TOKEN.matcher(text).find()) {
      kinds.add("a GitHub token");
    }
    if (text.contains("AIza") && GOOGLE_API_KEY.matcher(text).find()) {
      kinds.add("a Google API key");
    }
    return kinds;
  }

  /** What secret the value itself reveals, whatever its name: a token, a URL password, a private key, {@code pw=…}. */
  public static Optional<String> inValue(String value) {
    List<String> tokens = tokens(value);
    if (!tokens.isEmpty()) {
      return Optional.of(tokens.get(0));
    }
    if (URL_CREDENTIALS.matcher(value).find()) {
      return Optional.of("a URL with user:password@");
    }
    if (PEM_PRIVATE_KEY.matcher(value).find()) {
      return Optional.of("a PEM private key");
    }
    Matcher assigned = ASSIGNED_SECRET.matcher(value);
    if (assigned.find()) {
      return Optional.of("a password assignment");
    }
    return Optional.empty();
  }

  /** Why a name/value pair is a secret, if it is: what the value reveals, or {@code "secret-like name with a value"}. */
  public static Optional<String> inPair(String name, String value) {
    Optional<String> revealed = inValue(value);
    if (revealed.isPresent()) {
      return revealed;
    }
    if (secretName(name) && !value.isBlank()) {
      return Optional.of("secret-like name with a value");
    }
    return Optional.empty();
  }

  /** What evidence says in place of a value these rules flag, e.g. {@code [removed by releasegate: a GitHub token]}. */
  public static String marker(String kind) {
    return String.format(Locale.ROOT, MARKER, kind);
  }

  /** {@code value}, or the marker when the pair is a secret. */
  public static String withoutSecret(String name, String value) {
    return inPair(name, value).map(ImageSecrets::marker).orElse(value);
  }
}
