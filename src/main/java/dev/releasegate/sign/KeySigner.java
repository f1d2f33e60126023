package dev.releasegate.sign;

import dev.releasegate.spi.Signer;
import java.security.KeyPair;
import java.security.PublicKey;

/** A cosign key pair as the run's {@link Signer}. */
public final class KeySigner implements Signer {
  private final KeyPair keyPair;
  private final String keyId;

  public KeySigner(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.keyId = PublicKeys.keyId(keyPair.getPublic());
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public PublicKey publicKey() {
    return keyPair.getPublic();
  }

  @Override
  public byte[] sign(byte[] data) {
    return Ecdsa.sign(keyPair.getPrivate(), data);
  }
}
