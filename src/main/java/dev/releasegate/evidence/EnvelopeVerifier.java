package dev.releasegate.evidence;

import java.util.Optional;

/** Decides whether an envelope was signed by the trusted signer. */
public interface EnvelopeVerifier {

  /**
   * Empty when a signature by the trusted signer verifies; otherwise why not, in one line.
   *
   * @param file where the envelope was read from; keyless verification finds its Sigstore bundle beside it
   */
  Optional<String> check(java.nio.file.Path file, DsseEnvelope envelope);

  /** The key id the bundle's {@code signer} entry must name, if the trust is a single key. */
  Optional<String> expectedKeyId();

  /** The exact {@code signer.pub} bytes a bundle signed by this signer carries, if any. */
  Optional<String> expectedPublicKeyPem();

  /**
   * Keyless: every envelope has its Sigstore bundle beside it, and the bundle's signer file is the
   * certificate. The verifier decides this, never the bundle: a bundle that claims to be keyless must
   * not thereby let unsigned files in or skip the key check.
   */
  default boolean keyless() {
    return false;
  }
}
