package dev.releasegate.evidence;

import dev.releasegate.sign.PublicKeys;
import dev.releasegate.spi.Signer;
import java.util.List;
import java.util.Optional;

/**
 * Signs DSSE envelopes with the run's {@link Signer}: ECDSA P-256 over the PAE, DER signatures,
 * keyid = sha256 of the DER public key. In keyless mode each signature is a Sigstore message signature
 * over the PAE, whose bundle is kept beside the envelope.
 *
 * <p>Why not Sigstore's DSSE bundles: sigstore-java verifies one only against a sha256 subject of its
 * statement, and the statements made before the image exists name a git commit.
 */
public final class DsseSigner implements EnvelopeSigner {
  private final Signer signer;
  private volatile String lastCertificate;

  public DsseSigner(Signer signer) {
    this.signer = signer;
  }

  @Override
  public String keyId() {
    return signer.keyId();
  }

  @Override
  public Signer signer() {
    return signer;
  }

  @Override
  public SignerFile signerFile() {
    String certificate = lastCertificate;
    return certificate != null
        ? new SignerFile(EvidenceLayout.SIGNER_CERTIFICATE, certificate)
        : new SignerFile(EvidenceLayout.SIGNER_PUBLIC_KEY, PublicKeys.toPem(signer.publicKey()));
  }

  @Override
  public Signed sign(String payloadType, byte[] payload) {
    Signer.Signature signature = signer.signWithProof(Dsse.pae(payloadType, payload));
    signature.keyless().ifPresent(proof -> lastCertificate = proof.certificatePem());
    Optional<String> keyid = signature.keyless().isPresent() ? Optional.empty() : Optional.of(signer.keyId());
    DsseEnvelope envelope = new DsseEnvelope(payloadType, payload, List.of(new DsseEnvelope.Signature(keyid, signature.der())));
    return new Signed(envelope, signature.keyless().map(Signer.KeylessProof::sigstoreBundleJson));
  }
}
