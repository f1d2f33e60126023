package dev.releasegate.cosign;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker reference ({@code name[:tag][@digest]}) normalized as {@code reference.ParseNormalizedNamed}
 * (github.com/distribution/reference, used by containers/image) does: no domain means
 * {@code docker.io}, {@code index.docker.io} is {@code docker.io}, and a one-part Docker Hub path gets
 * {@code library/}. So {@code ubuntu}, {@code docker.io/library/ubuntu} and cosign's
 * {@code index.docker.io/library/ubuntu} all have the name {@code docker.io/library/ubuntu}.
 *
 * @param name the normalized repository name, {@code domain/path}
 * @param tag the tag, if the reference has one
 * @param digest the digest, if the reference has one
 */
record DockerReference(String name, Optional<String> tag, Optional<String> digest) {
  private static final String DEFAULT_DOMAIN = "docker.io";
  private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  private static final String OFFICIAL_REPO_PREFIX = "library/";
  private static final int NAME_TOTAL_LENGTH_MAX = 255;

  // The grammar of distribution/reference regexp.go.
  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String DOMAIN_NAME_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
  private static final String HOST = "(?:" + DOMAIN_NAME_COMPONENT + "(?:\\." + DOMAIN_NAME_COMPONENT + ")*|" + IPV6 + ")";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
  private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final Pattern REFERENCE =
      Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
  private static final Pattern ANCHORED_PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");

  DockerReference {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /** Parses and normalizes; the exception message says why a reference is not one. */
  static DockerReference parse(String reference) {
    Objects.requireNonNull(reference, "reference");
    Matcher m = REFERENCE.matcher(reference);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid reference format: " + reference);
    }
    String name = m.group(1);
    if (name.length() > NAME_TOTAL_LENGTH_MAX) {
      throw new IllegalArgumentException("repository name must not be more than 255 characters: " + reference);
    }
    String domain;
    String remainder;
    int slash = name.indexOf('/');
    String first = slash < 0 ? "" : name.substring(0, slash);
    // The first component is a domain only if it looks like one; "library/ubuntu" is a Docker Hub path.
    if (slash < 0
        || (first.indexOf('.') < 0
            && first.indexOf(':') < 0
            && !first.equals("localhost")
            && first.toLowerCase(Locale.ROOT).equals(first))) {
      domain = DEFAULT_DOMAIN;
      remainder = name;
    } else {
      domain = first;
      remainder = name.substring(slash + 1);
    }
    if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
      remainder = OFFICIAL_REPO_PREFIX + remainder;
    }
    if (!ANCHORED_PATH.matcher(remainder).matches()) {
      throw new IllegalArgumentException("repository name must be lowercase: " + reference);
    }
    return new DockerReference(
        domain + "/" + remainder, Optional.ofNullable(m.group(2)), Optional.ofNullable(m.group(3)));
  }
}
