package dev.releasegate.api;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Remedy;
import dev.releasegate.cosign.KeylessRunSigner;
import dev.releasegate.cosign.SigstoreKeylessSigning;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.evidence.EnvelopeSigner;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.KeySigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Who signs a release, a promotion or a check's probe: a cosign key file, or keylessly in GitHub Actions. */
final class Signers {
  private Signers() {}

  /** A cosign key's signer (its password given, or in {@code COSIGN_PASSWORD}), or keyless in GitHub Actions. */
  static EnvelopeSigner of(boolean keyless, Optional<Path> key, Optional<char[]> password, Map<String, String> environment) {
    if (keyless) {
      // sigstore-java asks GitHub Actions for the identity token only at the first signature; without one
      // the run would fail after its first stage, so it fails before any.
      if (!environment.containsKey("ACTIONS_ID_TOKEN_REQUEST_URL") || !environment.containsKey("ACTIONS_ID_TOKEN_REQUEST_TOKEN")) {
        throw new EnvironmentException("keyless signing needs GitHub Actions' OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set)",
            Remedy.SIGN_IN_WORKFLOW);
      }
      return new DsseSigner(new KeylessRunSigner(SigstoreKeylessSigning.publicGood()));
    }
    Path keyFile = key.orElseThrow(() -> new InvalidInputException("no signing key", Remedy.GIVE_SIGNING_KEY));
    if (!Files.isRegularFile(keyFile)) {
      throw new InvalidInputException("key file " + keyFile + " does not exist", Remedy.CREATE_SIGNING_KEY);
    }
    char[] secret = password.orElseGet(() -> {
      String fromEnvironment = environment.get("COSIGN_PASSWORD");
      if (fromEnvironment == null) {
        throw new InvalidInputException("COSIGN_PASSWORD is not set; set it to the password of " + keyFile);
      }
      return fromEnvironment.toCharArray();
    });
    return new DsseSigner(new KeySigner(CosignKeyFile.read(keyFile, secret)));
  }

  /**
   * The signer of {@code request}. A dry run signs nothing with the release's identity: its evidence stays
   * tamper-evident under a key of its own (signer.pub in the bundle), which no one trusts for a release.
   */
  static EnvelopeSigner of(ReleaseRequest request) {
    if (request.dryRun()) {
      return new DsseSigner(new KeySigner(CosignKeyFile.generate()));
    }
    return of(request.keyless(), request.keyFile(), request.keyPassword(), request.environment());
  }
}
