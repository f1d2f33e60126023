package dev.releasegate.sign;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * ECDSA P-256 with SHA-256, signatures as ASN.1 DER {@code SEQUENCE {r, s}}: what cosign puts in the
 * {@code dev.cosignproject.cosign/signature} annotation and in DSSE envelopes.
 */
public final class Ecdsa {
  private static final String ALGORITHM = "SHA256withECDSA";

  private Ecdsa() {}

  public static byte[] sign(PrivateKey key, byte[] data) {
    Objects.requireNonNull(data, "data");
    if (!(key instanceof ECPrivateKey ec) || !P256.isP256(ec.getParams())) {
      throw new IllegalArgumentException("only ECDSA P-256 private keys are supported");
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(key);
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ECDSA signing failed", e);
    }
  }

  /**
   * True only for a valid signature in strict DER. Malformed input of any kind is simply not a valid
   * signature, so this returns false instead of throwing.
   */
  public static boolean verify(PublicKey key, byte[] data, byte[] derSignature) {
    Objects.requireNonNull(data, "data");
    if (!(key instanceof ECPublicKey ec) || !P256.isP256(ec.getParams())) {
      throw new IllegalArgumentException("only ECDSA P-256 public keys are supported");
    }
    if (derSignature == null || !isStrictDer(derSignature)) {
      return false;
    }
    try {
      Signature signature = Signature.getInstance(ALGORITHM);
      signature.initVerify(key);
      signature.update(data);
      return signature.verify(derSignature);
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("the public key cannot verify ECDSA signatures", e);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Only the one DER encoding of {@code SEQUENCE {r, s}} with 0 < r, s < n is accepted, as Go's
   * {@code ecdsa.VerifyASN1} does; providers differ in what BER leniency they allow, and a signature
   * should not have several valid byte forms.
   */
  private static boolean isStrictDer(byte[] signature) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
      if (seq.size() != 2
          || !(seq.getObjectAt(0) instanceof ASN1Integer r)
          || !(seq.getObjectAt(1) instanceof ASN1Integer s)) {
        return false;
      }
      return P256.inScalarRange(r.getValue())
          && P256.inScalarRange(s.getValue())
          && Arrays.equals(seq.getEncoded(ASN1Encoding.DER), signature);
    } catch (Exception e) {
      return false;
    }
  }
}
