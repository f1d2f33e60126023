package dev.releasegate.evidence;

/**
 * Signs DSSE envelopes for the evidence bundle. Key mode signs with a cosign key; keyless mode is
 * another implementation of the same seam.
 */
public interface EnvelopeSigner {

  /** Recorded as the {@code keyid} of each signature. */
  String keyId();

  /** The public half in PEM, written to {@code signer.pub} for information. */
  String publicKeyPem();

  /** The key behind the envelopes, lent to stages that sign artifacts. */
  dev.releasegate.spi.Signer signer();

  /** Signs the PAE of {@code payloadType} and {@code payload}. */
  DsseEnvelope sign(String payloadType, byte[] payload);
}
