package dev.releasegate.stages.readiness;

import dev.releasegate.image.ImageSecrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What looks like a secret in files; the config's rules are {@link ImageSecrets}. Every rule answers
 * with a description of <em>what kind</em> of secret it saw, never with the value, so that a finding
 * can be printed, signed and published without leaking what it found.
 */
final class SecretRules {
  /** A private key as a whole block, header, base64 body and footer: what a binary's string constants are not. */
  private static final Pattern PEM_BLOCK = Pattern.compile(
      "-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----\\r?\\n(?:[A-Za-z0-9-]+:[^\\r\\n]*\\r?\\n)*\\s*[A-Za-z0-9+/=\\s]{40,}?-----END \\1-----");
  private static final String UTF16_MARKER = "P\0R\0I\0V\0A\0T\0E\0 \0K\0E\0Y";
  private static final Set<String> CREDENTIAL_FILE_NAMES = Set.of(".npmrc", ".git-credentials", ".netrc");
  private static final Set<String> SSH_KEY_NAMES = Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk");
  private static final Pattern DOTENV_LINE = Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*=\\s*(.*)$");
  private static final Pattern NPMRC_AUTH = Pattern.compile("(?:^|[:\\s])(_authToken|_auth|_password)\\s*=\\s*(\\S+)");
  private static final Pattern NETRC_PASSWORD = Pattern.compile("(?:^|\\s)password\\s+\\S+");
  private static final Pattern DOCKER_AUTH = Pattern.compile("\"(auth|identitytoken|registrytoken)\"\\s*:\\s*\"[^\"]+\"");

  private SecretRules() {}

  /** Names that are private keys by convention, such as {@code id_rsa}; their content is not needed. */
  static boolean sshKeyName(String fileName) {
    return SSH_KEY_NAMES.contains(fileName);
  }

  /** Files whose whole content is read for credentials whatever it looks like. */
  static boolean credentialFile(String path) {
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    return dotenv(fileName) || CREDENTIAL_FILE_NAMES.contains(fileName)
        || path.endsWith("/.aws/credentials") || path.endsWith("/.docker/config.json");
  }

  /**
   * The secrets in a part of a file's content, by kind, read as bytes ({@code ISO-8859-1}, so any file
   * reads): a private key block, and cloud or GitHub tokens. In text, a PEM header alone counts; in a
   * window with NUL bytes only a whole block does, as libraries carry PEM headers among their string
   * constants. A UTF-16 key is read with its NUL bytes left out.
   *
   * @param tokens false for a credential file, whose own rules say more precisely what it holds
   */
  static List<String> inContent(String window, boolean tokens) {
    List<String> kinds = new ArrayList<>();
    boolean text = window.indexOf('\0') < 0;
    boolean pem = window.contains("PRIVATE KEY") && (text ? ImageSecrets.PEM_PRIVATE_KEY.matcher(window).find() : PEM_BLOCK.matcher(window).find());
    if (pem || !text && window.contains(UTF16_MARKER) && PEM_BLOCK.matcher(window.replace("\0", "")).find()) {
      kinds.add("PEM private key");
    }
    if (tokens) {
      ImageSecrets.tokens(window).forEach(token -> kinds.add(token.substring(token.indexOf(' ') + 1)));
    }
    return kinds;
  }

  /**
   * The secrets of the credential files tools leave behind ({@code .env}, {@code .npmrc},
   * {@code .git-credentials}, {@code .netrc}, {@code .aws/credentials}, {@code .docker/config.json}),
   * by kind; only these files are read as a whole, as they are small.
   *
   * @param path the file's absolute path in the image
   */
  static List<String> inCredentialFile(String path, String text) {
    String fileName = path.substring(path.lastIndexOf('/') + 1);
    List<String> kinds = new ArrayList<>();
    if (dotenv(fileName) || path.endsWith("/.aws/credentials")) {
      List<String> names = new ArrayList<>();
      for (String line : text.split("\n")) {
        Matcher matcher = DOTENV_LINE.matcher(line);
        if (matcher.matches() && ImageSecrets.inPair(matcher.group(1), unquote(matcher.group(2).strip())).isPresent()) {
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
    if (fileName.equals(".git-credentials") && ImageSecrets.URL_CREDENTIALS.matcher(text).find()) {
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
