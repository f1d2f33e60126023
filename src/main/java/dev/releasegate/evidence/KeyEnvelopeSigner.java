package dev.releasegate.evidence;

import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.PublicKeys;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

/** Signs envelopes with an ECDSA P-256 key: DER signatures, keyid = sha256 of the DER public key. */
public final class KeyEnvelopeSigner implements EnvelopeSigner {
  private final KeyPair keyPair;
  private final String keyId;

  public KeyEnvelopeSigner(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.keyId = PublicKeys.keyId(keyPair.getPublic());
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public String publicKeyPem() {
    return PublicKeys.toPem(keyPair.getPublic());
  }

  @Override
  public DsseEnvelope sign(String payloadType, byte[] payload) {
    byte[] signature = Ecdsa.sign(keyPair.getPrivate(), Dsse.pae(payloadType, payload));
    return new DsseEnvelope(
        payloadType, payload, List.of(new DsseEnvelope.Signature(Optional.of(keyId), signature)));
  }
}
