package dev.releasegate.cosign;

import dev.sigstore.strings.StringMatcher;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Who must have signed keylessly: the identity Fulcio put in the certificate's subject alternative name
 * (an e-mail, or a URI such as a GitHub workflow ref) and the OIDC issuer that vouched for it. Each is
 * compared exactly, like cosign's {@code --certificate-identity} and {@code --certificate-oidc-issuer},
 * or by a regular expression, like {@code --certificate-identity-regexp} and
 * {@code --certificate-oidc-issuer-regexp}.
 *
 * @param certificateIdentity e.g. {@code https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main}
 * @param oidcIssuer e.g. {@code https://token.actions.githubusercontent.com}
 */
public record KeylessIdentity(Expected certificateIdentity, Expected oidcIssuer) {
  public KeylessIdentity {
    Objects.requireNonNull(certificateIdentity, "certificateIdentity");
    Objects.requireNonNull(oidcIssuer, "oidcIssuer");
  }

  /** Both compared exactly. */
  public KeylessIdentity(String certificateIdentity, String oidcIssuer) {
    this(Expected.exactly(certificateIdentity), Expected.exactly(oidcIssuer));
  }

  /** Whether a certificate naming this identity and issuer is one of the expected signers. */
  public boolean matches(Optional<String> identity, Optional<String> issuer) {
    return identity.filter(certificateIdentity).isPresent() && issuer.filter(oidcIssuer).isPresent();
  }

  @Override
  public String toString() {
    return certificateIdentity + " (issuer " + oidcIssuer + ")";
  }

  /**
   * One expected value: exact, or a regular expression that matches anywhere in the value unless
   * anchored, as Go's {@code regexp.MatchString} does in cosign (write {@code ^…$} to match all of it).
   */
  public static final class Expected implements StringMatcher {
    private final String text;
    private final Optional<Pattern> pattern;

    private Expected(String text, Optional<Pattern> pattern) {
      this.text = text;
      this.pattern = pattern;
    }

    public static Expected exactly(String value) {
      Objects.requireNonNull(value, "value");
      if (value.isBlank()) {
        throw new IllegalArgumentException("an expected identity or issuer must not be blank");
      }
      return new Expected(value, Optional.empty());
    }

    /** @throws IllegalArgumentException when the expression is blank or not a regular expression */
    public static Expected matching(String regexp) {
      Objects.requireNonNull(regexp, "regexp");
      if (regexp.isBlank()) {
        throw new IllegalArgumentException("an expected identity or issuer must not be blank");
      }
      try {
        return new Expected(regexp, Optional.of(Pattern.compile(regexp)));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("'" + regexp + "' is not a regular expression: " + e.getDescription());
      }
    }

    public boolean regexp() {
      return pattern.isPresent();
    }

    @Override
    public boolean test(String value) {
      return value != null && pattern.map(p -> p.matcher(value).find()).orElse(text.equals(value));
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Expected that && text.equals(that.text) && regexp() == that.regexp();
    }

    @Override
    public int hashCode() {
      return Objects.hash(text, regexp());
    }

    @Override
    public String toString() {
      return pattern.isPresent() ? "matching /" + text + "/" : text;
    }
  }
}
