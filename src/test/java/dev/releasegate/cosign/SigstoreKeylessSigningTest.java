package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.testing.Fixtures;
import dev.sigstore.SigningConfigProvider;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.oidc.client.OidcClient;
import dev.sigstore.oidc.client.OidcClients;
import dev.sigstore.oidc.client.OidcException;
import dev.sigstore.oidc.client.OidcToken;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What can be exercised offline: sigstore-java's own seams (its OidcClient interface and file-based
 * providers). sigstore-java asks for the identity token before it contacts Fulcio or Rekor, so a token
 * failure is reached without the network.
 */
class SigstoreKeylessSigningTest {
  private static final Path TRUSTED_ROOT = Fixtures.file("sigstore-bundles/trusted_root.public-good.json");

  /** An OIDC provider that is present but refuses, like a GitHub job without id-token permission. */
  private static final OidcClient REFUSING = new OidcClient() {
    @Override
    public boolean isEnabled(Map<String, String> env) {
      return true;
    }

    @Override
    public OidcToken getIDToken(Map<String, String> env) throws OidcException {
      throw new OidcException("token request answered 403");
    }
  };

  /** An OIDC provider that is not there, like GitHub's outside GitHub Actions. */
  private static final OidcClient ABSENT = new OidcClient() {
    @Override
    public boolean isEnabled(Map<String, String> env) {
      return false;
    }

    @Override
    public OidcToken getIDToken(Map<String, String> env) {
      throw new AssertionError("never asked when not enabled");
    }
  };

  @Test
  void aRefusedIdentityTokenIsAnEnvironmentFailureThatSaysWhatToDo() throws Exception {
    try (SigstoreKeylessSigning signing = SigstoreKeylessSigning.create(
        TrustedRootProvider.from(TRUSTED_ROOT), SigningConfigProvider.from(signingConfig()), OidcClients.of(REFUSING))) {
      EnvironmentException e = assertThrows(EnvironmentException.class, () -> signing.sign("payload".getBytes(StandardCharsets.UTF_8)));
      assertEquals("keyless signing: no OIDC identity token (token request answered 403); run in GitHub Actions with permissions: id-token: write",
          e.getMessage());
    }
  }

  @Test
  void noIdentityProviderAtAllIsReportedTheSameWay() throws Exception {
    try (SigstoreKeylessSigning signing = SigstoreKeylessSigning.create(
        TrustedRootProvider.from(TRUSTED_ROOT), SigningConfigProvider.from(signingConfig()), OidcClients.of(ABSENT))) {
      EnvironmentException e = assertThrows(EnvironmentException.class, () -> signing.sign(new byte[] {1}));
      assertEquals("keyless signing: no OIDC identity token (Could not find an oidc provider); run in GitHub Actions with permissions: id-token: write",
          e.getMessage());
    }
  }

  @Test
  void theGithubActionsSignerBuildsOfflineFromFiles() throws Exception {
    // Building contacts nothing; only sign() would.
    try (SigstoreKeylessSigning signing = SigstoreKeylessSigning.fromFiles(TRUSTED_ROOT, signingConfig())) {
      assertEquals(SigstoreKeylessSigning.class, signing.getClass());
    }
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> SigstoreKeylessSigning.fromFiles(TRUSTED_ROOT, Path.of("no-such-signing-config.json")));
    assertEquals("no-such-signing-config.json: no such file", missing.getMessage());
  }

  @Test
  void anUnreadableTrustedRootIsAnEnvironmentFailure() {
    TrustedRootProvider broken = () -> {
      throw new SigstoreConfigurationException("Could not initialize trusted root from provided tuf client");
    };
    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> SigstoreKeylessSigning.create(broken, SigningConfigProvider.from(signingConfig()), OidcClients.of(ABSENT)));
    assertEquals("keyless signing: cannot load the Sigstore trusted root: Could not initialize trusted root from provided tuf client", e.getMessage());
  }

  private static Path signingConfig() {
    try {
      return Path.of(SigstoreKeylessSigningTest.class.getResource("/cosign/signing_config.public-good.json").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
