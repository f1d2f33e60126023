package dev.releasegate.cosign;

import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.sigstore.AlgorithmRegistry;
import dev.sigstore.KeylessSigner;
import dev.sigstore.KeylessSignerException;
import dev.sigstore.SigningConfigProvider;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.oidc.client.GithubActionsOidcClient;
import dev.sigstore.oidc.client.OidcClients;
import dev.sigstore.oidc.client.OidcException;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.tuf.SigstoreTufClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * {@link KeylessSigning} with sigstore-java's {@code KeylessSigner}. The identity comes only from the
 * GitHub Actions OIDC token ({@code ACTIONS_ID_TOKEN_REQUEST_URL}/{@code _TOKEN}, audience
 * {@code sigstore}): a release tool in CI must never fall back to a browser login. Outside GitHub
 * Actions, or without {@code permissions: id-token: write}, signing fails with a message saying so.
 *
 * <p>sigstore-java returns a v0.3 bundle (leaf certificate only, Rekor v1 entry with its SET);
 * {@link KeylessSignature#fromBundle} turns it into cosign's certificate, chain and bundle annotations.
 */
public final class SigstoreKeylessSigning implements KeylessSigning, AutoCloseable {
  private final KeylessSigner signer;
  private final SigstoreTrustedRoot trustedRoot;

  private SigstoreKeylessSigning(KeylessSigner signer, SigstoreTrustedRoot trustedRoot) {
    this.signer = signer;
    this.trustedRoot = trustedRoot;
  }

  /**
   * The Sigstore public-good instance; its trusted root and signing config come from Sigstore's TUF
   * repository, so this needs the network (failure: exit 3).
   */
  public static SigstoreKeylessSigning publicGood() {
    SigstoreTufClient.Builder tuf = SigstoreTufClient.builder().usePublicGoodInstance();
    return create(TrustedRootProvider.from(tuf), SigningConfigProvider.from(tuf), githubActions());
  }

  /**
   * A Sigstore instance described by local files: a {@code trusted_root.json} and a
   * {@code signing_config.json} (v0.2) naming the Fulcio, Rekor and TSA URLs to use.
   */
  public static SigstoreKeylessSigning fromFiles(Path trustedRoot, Path signingConfig) {
    for (Path file : new Path[] {trustedRoot, signingConfig}) {
      if (!Files.isRegularFile(Objects.requireNonNull(file, "file"))) {
        throw new InvalidInputException(file + ": no such file");
      }
    }
    return create(TrustedRootProvider.from(trustedRoot), SigningConfigProvider.from(signingConfig), githubActions());
  }

  private static OidcClients githubActions() {
    return OidcClients.of(GithubActionsOidcClient.builder().build());
  }

  /** The one place the signer is built; {@code oidc} decides where the identity token comes from. */
  static SigstoreKeylessSigning create(TrustedRootProvider trustedRoots, SigningConfigProvider signingConfig, OidcClients oidc) {
    SigstoreTrustedRoot root;
    try {
      root = trustedRoots.get();
    } catch (SigstoreConfigurationException e) {
      throw new EnvironmentException("keyless signing: cannot load the Sigstore trusted root: " + describe(e), e);
    }
    try {
      KeylessSigner signer =
          KeylessSigner.builder()
              .trustedRootProvider(() -> root) // read once: the chain annotation is taken from the same root
              .signingConfigProvider(signingConfig)
              .forceCredentialProviders(oidc)
              .signingAlgorithm(AlgorithmRegistry.SigningAlgorithm.PKIX_ECDSA_P256_SHA_256)
              .build();
      return new SigstoreKeylessSigning(signer, root);
    } catch (SigstoreConfigurationException | IOException | GeneralSecurityException e) {
      throw new EnvironmentException("keyless signing: cannot set up the Sigstore signer: " + describe(e), e);
    }
  }

  @Override
  public KeylessSignature sign(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    Bundle bundle;
    try {
      bundle = signer.sign(Digests.sha256().digest(payload));
    } catch (KeylessSignerException e) {
      if (e.getCause() instanceof OidcException oidc) {
        throw new EnvironmentException("keyless signing: no OIDC identity token (" + oidc.getMessage()
            + "); run in GitHub Actions with permissions: id-token: write", e);
      }
      throw new EnvironmentException("keyless signing failed: " + describe(e), e);
    }
    try {
      return KeylessSignature.fromBundle(bundle, trustedRoot);
    } catch (IOException e) {
      throw new EnvironmentException("keyless signing: Sigstore's answer cannot be stored as a cosign signature: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    signer.close();
  }

  /** The message and, if it adds something, the cause's: sigstore-java wraps the useful part. */
  private static String describe(Exception e) {
    Throwable cause = e.getCause();
    return cause == null || cause.getMessage() == null || cause.getMessage().equals(e.getMessage())
        ? e.getMessage()
        : e.getMessage() + ": " + cause.getMessage();
  }
}
