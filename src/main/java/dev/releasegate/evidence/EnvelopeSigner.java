package dev.releasegate.evidence;

import dev.releasegate.spi.Signer;
import java.util.Objects;
import java.util.Optional;

/** Signs the evidence bundle's DSSE envelopes with the run's signer, a cosign key or keyless. */
public interface EnvelopeSigner {

  /** Recorded as the {@code keyid} of each signature. */
  String keyId();

  /** The key behind the envelopes, lent to stages that sign artifacts. */
  Signer signer();

  /** {@code signer.pub} (the key) or, keyless, {@code signer.crt} (the last certificate): for information. */
  SignerFile signerFile();

  /** Signs the PAE of {@code payloadType} and {@code payload}. */
  Signed sign(String payloadType, byte[] payload);

  /**
   * An envelope and, keyless, the Sigstore bundle that proves who signed it (certificate, log entry).
   *
   * @param sigstoreBundle written beside the envelope as {@code NN-stage.sigstore.json}
   */
  record Signed(DsseEnvelope envelope, Optional<String> sigstoreBundle) {
    public Signed {
      Objects.requireNonNull(envelope, "envelope");
      Objects.requireNonNull(sigstoreBundle, "sigstoreBundle");
    }
  }

  /**
   * The informational signer file and the mode it implies.
   *
   * @param name {@link EvidenceLayout#SIGNER_PUBLIC_KEY} or {@link EvidenceLayout#SIGNER_CERTIFICATE}
   */
  record SignerFile(String name, String content) {}
}
