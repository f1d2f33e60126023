package dev.releasegate.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.spi.Signer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Optional;

/**
 * Fulcio and Rekor cannot be reached here, so this signer replays a real keyless signature from the
 * fixtures (bundle.v3.message-signature: appu@google.com, public-good) for everything it is asked to
 * sign. The certificate, chain and log entry are genuine, but the signature covers artifact.txt, not
 * what was asked: every verification must fail at the signature, which proves that it is checked.
 */
final class ReplayingKeylessSigner implements Signer {
  static final KeylessIdentity IDENTITY = new KeylessIdentity("appu@google.com", "https://accounts.google.com");

  private final String bundle;
  private final byte[] signature;
  private final String certificatePem;
  private final String rekorBundle;
  private final PublicKey key;

  ReplayingKeylessSigner() throws Exception {
    bundle = new String(CosignFixtures.bundleFile("bundle.v3.message-signature.sigstore.json"), StandardCharsets.UTF_8);
    JsonNode json = Json.parse(bundle.getBytes(StandardCharsets.UTF_8));
    signature = Base64.getDecoder().decode(json.at("/messageSignature/signature").asText());
    byte[] der = Base64.getDecoder().decode(json.at("/verificationMaterial/certificate/rawBytes").asText());
    certificatePem = PemBlocks.encode("CERTIFICATE", der);
    rekorBundle = KeylessSignature.attestationAnnotations(bundle).get(CosignLayer.BUNDLE_ANNOTATION);
    key = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
  }

  @Override
  public String keyId() {
    return PublicKeys.keyId(key);
  }

  @Override
  public PublicKey publicKey() {
    return key;
  }

  @Override
  public byte[] sign(byte[] data) {
    return signature.clone();
  }

  @Override
  public Signature signWithProof(byte[] data) {
    // No chain: cosign's chain annotation is optional, and verifiers complete it from the trusted root.
    return new Signature(signature, Optional.of(new KeylessProof(certificatePem, "", rekorBundle, bundle)));
  }
}
