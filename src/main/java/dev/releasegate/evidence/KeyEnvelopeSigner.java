package dev.releasegate.evidence;

import dev.releasegate.sign.PublicKeys;
import dev.releasegate.spi.Signer;
import java.util.List;
import java.util.Optional;

/** Signs envelopes with an ECDSA P-256 key: DER signatures, keyid = sha256 of the DER public key. */
public final class KeyEnvelopeSigner implements EnvelopeSigner {
  private final Signer signer;

  public KeyEnvelopeSigner(Signer signer) {
    this.signer = signer;
  }

  @Override
  public String keyId() {
    return signer.keyId();
  }

  @Override
  public String publicKeyPem() {
    return PublicKeys.toPem(signer.publicKey());
  }

  @Override
  public Signer signer() {
    return signer;
  }

  @Override
  public DsseEnvelope sign(String payloadType, byte[] payload) {
    byte[] signature = signer.sign(Dsse.pae(payloadType, payload));
    return new DsseEnvelope(payloadType, payload, List.of(new DsseEnvelope.Signature(Optional.of(signer.keyId()), signature)));
  }
}
