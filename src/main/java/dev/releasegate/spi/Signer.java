package dev.releasegate.spi;

import java.security.PublicKey;

/**
 * The run's signing key, lent to stages that sign artifacts (the image signature). The private key
 * itself never leaves the signer.
 */
public interface Signer {

  /** Lowercase hex sha256 of the DER public key. */
  String keyId();

  PublicKey publicKey();

  /** ECDSA P-256 over SHA-256 of {@code data}, ASN.1 DER. */
  byte[] sign(byte[] data);
}
