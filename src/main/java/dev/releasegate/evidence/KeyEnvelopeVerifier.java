package dev.releasegate.evidence;

import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.PublicKeys;
import java.security.PublicKey;
import java.util.Optional;

/** Trusts one ECDSA P-256 public key, the one the auditor supplies. */
public final class KeyEnvelopeVerifier implements EnvelopeVerifier {
  private final PublicKey key;
  private final String keyId;

  public KeyEnvelopeVerifier(PublicKey key) {
    this.key = key;
    this.keyId = PublicKeys.keyId(key);
  }

  /** A key needs nothing beside the envelope, so envelopes from a registry are checked the same way. */
  @Override
  public Optional<String> check(java.nio.file.Path file, DsseEnvelope envelope) {
    return check(envelope);
  }

  public Optional<String> check(DsseEnvelope envelope) {
    byte[] pae = envelope.pae();
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      if (Ecdsa.verify(key, pae, signature.sig())) {
        return Optional.empty();
      }
    }
    String named =
        envelope.signatures().stream()
            .map(signature -> signature.keyid().orElse("(no keyid)"))
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    return Optional.of("no signature verifies with key " + keyId + " (signatures name " + named + ")");
  }

  @Override
  public Optional<String> expectedKeyId() {
    return Optional.of(keyId);
  }

  @Override
  public Optional<String> expectedPublicKeyPem() {
    return Optional.of(PublicKeys.toPem(key));
  }
}
