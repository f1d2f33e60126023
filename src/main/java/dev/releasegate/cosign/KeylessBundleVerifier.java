package dev.releasegate.cosign;

import dev.releasegate.base.Digests;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Messages;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verifies keyless Sigstore bundles offline with sigstore-java's {@code KeylessVerifier} against a
 * {@code trusted_root.json}: the Fulcio chain and embedded SCT, the signature (message signature over
 * the artifact digest, or DSSE whose in-toto subject names the digest), the Rekor entry (SET and
 * inclusion proof) and any RFC 3161 timestamps; and the signer, by certificate identity and OIDC issuer
 * (each exact or an expression, {@link KeylessIdentity}). Nothing is fetched: the trusted root is the
 * only source of trust.
 *
 * <p>Bundles signed with a plain public key ("managed key") are refused by sigstore-java; use
 * {@link KeyBundleVerifier} for those.
 */
public final class KeylessBundleVerifier {
  private static final Pattern SHA256_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  /** sigstore-java's message when no certificate matcher matched; the only failure reworded here. */
  private static final String NO_MATCH = "No provided certificate identities matched";

  private final KeylessVerifier verifier;

  private KeylessBundleVerifier(KeylessVerifier verifier) {
    this.verifier = verifier;
  }

  /** Trusts exactly the CAs, logs and timestamp authorities of this trusted root; a bad file is exit 2. */
  public static KeylessBundleVerifier fromTrustedRoot(Path trustedRoot) {
    Objects.requireNonNull(trustedRoot, "trustedRoot");
    if (!Files.isRegularFile(trustedRoot)) {
      throw new InvalidInputException(trustedRoot + ": no such file");
    }
    try {
      return new KeylessBundleVerifier(KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(trustedRoot)).build());
    } catch (SigstoreConfigurationException | GeneralSecurityException | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new InvalidInputException(trustedRoot + ": not a usable trusted root: " + cause.getMessage(), e);
    }
  }

  /** The bundle signs these artifact bytes (a message signature over them, or a DSSE statement about them). */
  public KeylessVerification verifyArtifact(byte[] artifact, byte[] bundleJson, KeylessIdentity expected) {
    Objects.requireNonNull(artifact, "artifact");
    return verify(Digests.sha256().digest(artifact), bundleJson, expected);
  }

  /** The bundle signs the artifact with this digest, e.g. an image manifest digest for an attestation. */
  public KeylessVerification verifyDigest(String sha256Digest, byte[] bundleJson, KeylessIdentity expected) {
    Objects.requireNonNull(sha256Digest, "sha256Digest");
    if (!SHA256_DIGEST.matcher(sha256Digest).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + sha256Digest);
    }
    return verify(HexFormat.of().parseHex(sha256Digest.substring("sha256:".length())), bundleJson, expected);
  }

  private KeylessVerification verify(byte[] digest, byte[] bundleJson, KeylessIdentity expected) {
    Objects.requireNonNull(bundleJson, "bundleJson");
    Objects.requireNonNull(expected, "expected");
    Bundle bundle;
    try {
      bundle = Bundle.from(new StringReader(new String(bundleJson, StandardCharsets.UTF_8)));
    } catch (BundleParseException e) {
      if (String.valueOf(e.getMessage()).contains("Plain public keys")) {
        return KeylessVerification.failed("bundle is signed with a public key, not a Fulcio certificate: verify it with that key");
      }
      return KeylessVerification.failed("not a Sigstore bundle: " + e.getMessage());
    } catch (RuntimeException e) {
      return KeylessVerification.failed("not a Sigstore bundle: " + e.getMessage());
    }
    X509Certificate leaf = Certificates.getLeaf(bundle.getCertPath());
    Optional<String> identity = FulcioCertificates.identity(leaf);
    Optional<String> issuer = FulcioCertificates.issuer(leaf);
    VerificationOptions options =
        VerificationOptions.builder()
            .addCertificateMatchers(
                VerificationOptions.CertificateMatcher.fulcio()
                    .subjectAlternativeName(expected.certificateIdentity())
                    .issuer(expected.oidcIssuer())
                    .build())
            .build();
    try {
      verifier.verify(digest, bundle, options);
    } catch (KeylessVerificationException e) {
      String message = String.valueOf(e.getMessage());
      if (message.startsWith(NO_MATCH)) {
        message = "signed by " + identity.orElse("(no identity)") + " (issuer " + issuer.orElse("unknown") + "), expected " + expected;
      } else {
        message = Messages.firstLine(message);
      }
      return new KeylessVerification(Optional.of(message), identity, issuer);
    } catch (RuntimeException e) {
      return new KeylessVerification(Optional.of("bundle cannot be verified: " + e.getMessage()), identity, issuer);
    }
    return new KeylessVerification(Optional.empty(), identity, issuer);
  }
}
