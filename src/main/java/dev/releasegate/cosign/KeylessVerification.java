package dev.releasegate.cosign;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying one keyless Sigstore bundle.
 *
 * @param problem why the bundle does not verify, empty when it does
 * @param certificateIdentity the identity in the signing certificate, when it could be read
 * @param oidcIssuer the OIDC issuer in the signing certificate, when it could be read
 */
public record KeylessVerification(Optional<String> problem, Optional<String> certificateIdentity, Optional<String> oidcIssuer) {
  public KeylessVerification {
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(certificateIdentity, "certificateIdentity");
    Objects.requireNonNull(oidcIssuer, "oidcIssuer");
  }

  public boolean verified() {
    return problem.isEmpty();
  }

  static KeylessVerification failed(String problem) {
    return new KeylessVerification(Optional.of(problem), Optional.empty(), Optional.empty());
  }
}
