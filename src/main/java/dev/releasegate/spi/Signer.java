package dev.releasegate.spi;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * The run's signing identity, lent to stages that sign artifacts (the image signature): a cosign key,
 * or in keyless mode a short-lived key certified by Fulcio for the CI's OIDC identity. The private key
 * itself never leaves the signer.
 */
public interface Signer {

  /** Lowercase hex sha256 of the DER public key. */
  String keyId();

  /** The key signatures verify with; in keyless mode, the certificate's, known once something was signed. */
  PublicKey publicKey();

  /** ECDSA P-256 over SHA-256 of {@code data}, ASN.1 DER. */
  byte[] sign(byte[] data);

  /** Signs like {@link #sign}, with what vouches for the key in keyless mode. */
  default Signature signWithProof(byte[] data) {
    return new Signature(sign(data), Optional.empty());
  }

  /**
   * A signature and, in keyless mode, the certificate and transparency-log proof that come with it.
   *
   * @param der the ECDSA signature
   * @param keyless the keyless proof; empty for a plain key
   */
  record Signature(byte[] der, Optional<KeylessProof> keyless) {
    public Signature {
      der = der.clone();
      Objects.requireNonNull(keyless, "keyless");
    }

    @Override
    public byte[] der() {
      return der.clone();
    }
  }

  /**
   * What makes a keyless signature checkable offline.
   *
   * @param certificatePem the Fulcio leaf certificate
   * @param chainPem the issuing CA certificates
   * @param rekorBundleJson the Rekor entry's signed timestamp and body, as cosign stores it
   * @param sigstoreBundleJson the whole Sigstore bundle
   */
  record KeylessProof(String certificatePem, String chainPem, String rekorBundleJson, String sigstoreBundleJson) {}
}
