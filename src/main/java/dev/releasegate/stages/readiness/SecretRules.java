package dev.releasegate.stages.readiness;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What looks like a secret, in the image config and in files. Every rule answers with a description
 * of <em>what kind</em> of secret it saw, never with the value, so that a finding can be printed,
 * signed and published without leaking what it found (invariant 5).
 */
final class SecretRules {
  /** Parts of a variable or label name that say its value is a secret. */
  private static final List<String> SECRET_NAME_PARTS =
      List.of("PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL");
  /**
   * Suffixes of names whose value points at a secret instead of holding it ({@code DB_PASSWORD_FILE=/run/secrets/db}),
   * which is the recommended way to hand secrets to a container.
   */
  private static final List<String> REFERENCE_SUFFIXES = List.of("_FILE", "_PATH", "_DIR");
  private static final Pattern AWS_KEY_ID = Pattern.compile("(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
  private static final Pattern URL_CREDENTIALS = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s/@:]+:[^\\s/@]+@");
  /** PKCS#1/#8, EC, OpenSSH, encrypted and cosign keys, and ASCII-armored PGP secret keys. */
  private static final Pattern PEM_PRIVATE_KEY = Pattern.compile("-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----");
  private static final byte[] PEM_MARKER = "PRIVATE KEY".getBytes(StandardCharsets.US_ASCII);
  private static final Set<String> CREDENTIAL_FILE_NAMES = Set.of(".npmrc", ".git-credentials", ".netrc");
  private static final Set<String> SSH_KEY_NAMES = Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk");
  private static final Pattern DOTENV_LINE = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*)$");
  private static final Pattern NPMRC_AUTH = Pattern.compile("(?:^|[:\\s])(_authToken|_auth|_password)\\s*=\\s*(\\S+)");
  private static final Pattern NETRC_PASSWORD = Pattern.compile("(?:^|\\s)password\\s+\\S+");
  private static final Pattern DOCKER_AUTH = Pattern.compile("\"(auth|identitytoken|registrytoken)\"\\s*:\\s*\"[^\"]+\"");

  private SecretRules() {}

  /** True for names such as {@code DB_PASSWORD} or {@code com.example.api-token}, but not {@code DB_PASSWORD_FILE}. */
  static boolean secretName(String name) {
    String upper = name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    if (REFERENCE_SUFFIXES.stream().anyMatch(upper::endsWith)) {
      return false;
    }
    return SECRET_NAME_PARTS.stream().anyMatch(upper::contains);
  }

  /** What secret the value itself reveals, whatever its name: a key id, a URL password, a private key. */
  static Optional<String> secretValue(String value) {
    if (AWS_KEY_ID.matcher(value).find()) {
      return Optional.of("an AWS access key id");
    }
    if (URL_CREDENTIALS.matcher(value).find()) {
      return Optional.of("a URL with user:password@");
    }
    if (PEM_PRIVATE_KEY.matcher(value).find()) {
      return Optional.of("a PEM private key");
    }
    return Optional.empty();
  }

  /**
   * Why a name/value pair of the config is a secret, if it is: {@code "secret-like name with a value"}
   * or what the value reveals.
   */
  static Optional<String> secretPair(String name, String value) {
    Optional<String> revealed = secretValue(value);
    if (revealed.isPresent()) {
      return revealed;
    }
    if (secretName(name) && !value.isBlank()) {
      return Optional.of("secret-like name with a value");
    }
    return Optional.empty();
  }

  /** Names that are private keys by convention, such as {@code id_rsa}; their content is not needed. */
  static boolean sshKeyName(String fileName) {
    return SSH_KEY_NAMES.contains(fileName);
  }

  /** Files whose content is read for credentials whatever it looks like; other files only for PEM keys. */
  static boolean credentialFile(String path) {
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    return dotenv(fileName) || CREDENTIAL_FILE_NAMES.contains(fileName)
        || path.endsWith("/.aws/credentials") || path.endsWith("/.docker/config.json");
  }

  /** A quick test on raw bytes, so that only files that may hold a PEM key are decoded. */
  static boolean mayHoldPemKey(byte[] content, int length) {
    outer:
    for (int i = 0; i + PEM_MARKER.length <= length; i++) {
      for (int j = 0; j < PEM_MARKER.length; j++) {
        if (content[i + j] != PEM_MARKER[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * The secrets a text file holds, by kind: a PEM private key in any file, and tokens or passwords in
   * the credential files tools leave behind ({@code .env}, {@code .npmrc}, {@code .git-credentials},
   * {@code .netrc}, {@code .aws/credentials}, {@code .docker/config.json}).
   *
   * @param path the file's absolute path in the image
   */
  static List<String> inTextFile(String path, String text) {
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    List<String> kinds = new ArrayList<>();
    if (PEM_PRIVATE_KEY.matcher(text).find()) {
      kinds.add("PEM private key");
    }
    if (dotenv(fileName) || path.endsWith("/.aws/credentials")) {
      List<String> names = new ArrayList<>();
      for (String line : text.split("\n")) {
        Matcher matcher = DOTENV_LINE.matcher(line);
        if (matcher.matches() && secretPair(matcher.group(1), unquote(matcher.group(2).strip())).isPresent()) {
          names.add(matcher.group(1));
        }
      }
      if (!names.isEmpty()) {
        kinds.add((fileName.equals("credentials") ? "AWS credentials file" : ".env file") + " with secrets in " + String.join(", ", names));
      }
    }
    if (fileName.equals(".npmrc")) {
      for (String line : text.split("\n")) {
        Matcher matcher = NPMRC_AUTH.matcher(line.strip());
        // ${NPM_TOKEN} is read from the environment at run time; only a literal value is a leak.
        if (matcher.find() && !matcher.group(2).startsWith("${")) {
          kinds.add(".npmrc with a literal " + matcher.group(1));
          break;
        }
      }
    }
    if (fileName.equals(".git-credentials") && URL_CREDENTIALS.matcher(text).find()) {
      kinds.add(".git-credentials with a password");
    }
    if (fileName.equals(".netrc") && NETRC_PASSWORD.matcher(text).find()) {
      kinds.add(".netrc with a password");
    }
    if (path.endsWith("/.docker/config.json") && DOCKER_AUTH.matcher(text).find()) {
      kinds.add("docker config.json with registry credentials");
    }
    return kinds;
  }

  /** {@code .env} and its variants such as {@code .env.production}, but not the templates checked into repositories. */
  private static boolean dotenv(String fileName) {
    if (fileName.equals(".env")) {
      return true;
    }
    return fileName.startsWith(".env.") && !Set.of(".env.example", ".env.sample", ".env.template", ".env.dist").contains(fileName);
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
