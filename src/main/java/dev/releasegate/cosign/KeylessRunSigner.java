package dev.releasegate.cosign;

import dev.releasegate.sign.PublicKeys;
import dev.releasegate.spi.Signer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * The run's signer in keyless mode: each signature is a Sigstore signing with the CI's OIDC identity
 * (a short-lived Fulcio certificate and a Rekor entry), so there is no key to manage.
 */
public final class KeylessRunSigner implements Signer {
  private final KeylessSigning signing;
  private volatile PublicKey key;

  public KeylessRunSigner(KeylessSigning signing) {
    this.signing = signing;
  }

  @Override
  public String keyId() {
    return PublicKeys.keyId(publicKey());
  }

  @Override
  public PublicKey publicKey() {
    if (key == null) {
      throw new IllegalStateException("keyless: the certificate's key is known once something was signed");
    }
    return key;
  }

  @Override
  public byte[] sign(byte[] data) {
    return signWithProof(data).der();
  }

  @Override
  public Signature signWithProof(byte[] data) {
    KeylessSignature signature = signing.sign(data);
    try {
      key = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(signature.certificatePem().getBytes(StandardCharsets.US_ASCII)))
          .getPublicKey();
    } catch (CertificateException e) {
      throw new IllegalStateException("Fulcio returned a certificate that cannot be read", e);
    }
    return new Signature(signature.signature(), Optional.of(new KeylessProof(
        signature.certificatePem(), signature.chainPem(), signature.rekorBundle().toAnnotation(), signature.sigstoreBundleJson())));
  }
}
