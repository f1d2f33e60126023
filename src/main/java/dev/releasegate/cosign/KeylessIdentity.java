package dev.releasegate.cosign;

import java.util.Objects;

/**
 * Who must have signed keylessly: the identity Fulcio put in the certificate's subject alternative name
 * (an e-mail, or a URI such as a GitHub workflow ref) and the OIDC issuer that vouched for it. Both are
 * compared exactly, like cosign's {@code --certificate-identity} and {@code --certificate-oidc-issuer}.
 *
 * @param certificateIdentity e.g. {@code https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main}
 * @param oidcIssuer e.g. {@code https://token.actions.githubusercontent.com}
 */
public record KeylessIdentity(String certificateIdentity, String oidcIssuer) {
  public KeylessIdentity {
    Objects.requireNonNull(certificateIdentity, "certificateIdentity");
    Objects.requireNonNull(oidcIssuer, "oidcIssuer");
    if (certificateIdentity.isBlank() || oidcIssuer.isBlank()) {
      throw new IllegalArgumentException("certificate identity and OIDC issuer must not be blank");
    }
  }

  @Override
  public String toString() {
    return certificateIdentity + " (issuer " + oidcIssuer + ")";
  }
}
