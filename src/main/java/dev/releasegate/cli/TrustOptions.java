package dev.releasegate.cli;

import dev.releasegate.api.InvalidInputException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Who must have signed, for the verify commands: a public key, or a keyless identity and a trusted root. */
final class TrustOptions {
  @Option(names = "--key", paramLabel = "PUB", description = "The public key that must have signed.")
  Path key;

  @Option(names = "--certificate-identity", paramLabel = "ID",
      description = "Keyless: the identity (certificate SAN) that must have signed, e.g. the workflow's URL@ref.")
  String certificateIdentity;

  @Option(names = "--certificate-oidc-issuer", paramLabel = "URL",
      description = "Keyless: the OIDC issuer of that identity, e.g. https://token.actions.githubusercontent.com.")
  String oidcIssuer;

  @Option(names = "--trusted-root", paramLabel = "FILE", description = "Keyless: the Sigstore trusted_root.json to verify against, offline.")
  Path trustedRoot;

  /** True for keyless, false for a key; exit 2 for a mix or an incomplete keyless set. */
  boolean keyless() {
    boolean keyless = certificateIdentity != null || oidcIssuer != null || trustedRoot != null;
    if (keyless == (key != null)) {
      throw new InvalidInputException(
          "verify with --key PUB, or keylessly with --certificate-identity, --certificate-oidc-issuer and --trusted-root");
    }
    if (keyless && (certificateIdentity == null || oidcIssuer == null || trustedRoot == null)) {
      throw new InvalidInputException("keyless verification needs all of --certificate-identity, --certificate-oidc-issuer and --trusted-root");
    }
    return keyless;
  }
}
