package dev.releasegate.cli;

import dev.releasegate.api.Trust;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.cosign.KeylessIdentity;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** Who must have signed, for the verify commands: a public key, or a keyless identity and a trusted root. */
final class TrustOptions {
  @Option(names = "--key", paramLabel = "PUB", description = "The public key that must have signed.")
  Path key;

  @Option(names = "--certificate-identity", paramLabel = "ID",
      description = "Keyless: the identity (certificate SAN) that must have signed, e.g. the workflow's URL@ref.")
  String certificateIdentity;

  @Option(names = "--certificate-identity-regexp", paramLabel = "REGEXP",
      description = "Keyless: a regular expression the identity must match, unanchored as in cosign, e.g. '^https://github.com/org/repo/'.")
  String certificateIdentityRegexp;

  @Option(names = "--certificate-oidc-issuer", paramLabel = "URL",
      description = "Keyless: the OIDC issuer of that identity, e.g. https://token.actions.githubusercontent.com.")
  String oidcIssuer;

  @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "REGEXP",
      description = "Keyless: a regular expression the OIDC issuer must match, unanchored as in cosign.")
  String oidcIssuerRegexp;

  @Option(names = "--trusted-root", paramLabel = "FILE", description = "Keyless: the Sigstore trusted_root.json to verify against, offline.")
  Path trustedRoot;

  /** True for keyless, false for a key; exit 2 for a mix or an incomplete keyless set. */
  boolean keyless() {
    boolean keyless = Stream.of(certificateIdentity, certificateIdentityRegexp, oidcIssuer, oidcIssuerRegexp, trustedRoot).anyMatch(Objects::nonNull);
    if (keyless == (key != null)) {
      throw new InvalidInputException(
          "verify with --key PUB, or keylessly with --certificate-identity, --certificate-oidc-issuer and --trusted-root");
    }
    if (keyless) {
      identity();
      if (trustedRoot == null) {
        throw new InvalidInputException("keyless verification needs --trusted-root");
      }
    }
    return keyless;
  }

  /** Who must have signed, as the facade takes it; exit 2 as for {@link #keyless()}. */
  Trust trust() {
    return keyless() ? new Trust.Keyless(identity(), trustedRoot) : new Trust.Key(key);
  }

  /** The expected keyless signer; exit 2 unless exactly one of each pair of flags is given. */
  KeylessIdentity identity() {
    return new KeylessIdentity(
        expected(certificateIdentity, certificateIdentityRegexp, "--certificate-identity"),
        expected(oidcIssuer, oidcIssuerRegexp, "--certificate-oidc-issuer"));
  }

  private static KeylessIdentity.Expected expected(String exactly, String regexp, String flag) {
    if ((exactly == null) == (regexp == null)) {
      throw new InvalidInputException("keyless verification needs one of " + flag + " and " + flag + "-regexp");
    }
    try {
      return exactly != null ? KeylessIdentity.Expected.exactly(exactly) : KeylessIdentity.Expected.matching(regexp);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException((exactly != null ? flag : flag + "-regexp") + ": " + e.getMessage());
    }
  }
}
