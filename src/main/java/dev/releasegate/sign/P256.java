package dev.releasegate.sign;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDSA P-256, the only key type cosign's key files and our signatures use. BouncyCastle does the curve
 * arithmetic and ASN.1; the keys handed out are plain JCA keys from the default provider, so callers
 * never depend on BouncyCastle being registered as a provider.
 */
final class P256 {
  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  static final org.bouncycastle.crypto.params.ECDomainParameters DOMAIN =
      new org.bouncycastle.crypto.params.ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  static final AlgorithmIdentifier ALGORITHM =
      new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
  private static final ECParameterSpec JCA_PARAMS = jcaParams();

  private P256() {}

  static boolean isP256(ECParameterSpec params) {
    return params != null
        && params.getCurve().equals(JCA_PARAMS.getCurve())
        && params.getGenerator().equals(JCA_PARAMS.getGenerator())
        && params.getOrder().equals(JCA_PARAMS.getOrder())
        && params.getCofactor() == JCA_PARAMS.getCofactor();
  }

  static boolean inScalarRange(BigInteger d) {
    return d.signum() > 0 && d.compareTo(CURVE.getN()) < 0;
  }

  /** Q = d·G; a key file stores only d reliably, so the public half is always recomputed. */
  static ECPoint publicPoint(BigInteger d) {
    return new FixedPointCombMultiplier().multiply(CURVE.getG(), d).normalize();
  }

  static ECPoint publicPoint(ECPublicKey key) {
    // validatePoint rejects coordinates off the curve, which a foreign key object could carry.
    return CURVE.getCurve().validatePoint(key.getW().getAffineX(), key.getW().getAffineY()).normalize();
  }

  static ECPrivateKey jcaPrivate(BigInteger d) {
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, JCA_PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JCA cannot build a P-256 private key", e);
    }
  }

  static ECPublicKey jcaPublic(ECPoint q) {
    java.security.spec.ECPoint w =
        new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, JCA_PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JCA cannot build a P-256 public key", e);
    }
  }

  /** DER SubjectPublicKeyInfo with the named-curve OID and an uncompressed point, as Go and openssl write it. */
  static byte[] spki(ECPoint q) {
    try {
      return new SubjectPublicKeyInfo(ALGORITHM, q.getEncoded(false)).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode a public key", e);
    }
  }

  /**
   * PKCS#8 exactly as Go's {@code x509.MarshalPKCS8PrivateKey} writes it (what cosign encrypts): the
   * inner SEC1 structure carries the public key but no curve parameters, since the outer algorithm
   * identifier already names the curve.
   */
  static byte[] pkcs8(BigInteger d, ECPoint q) {
    try {
      org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
          new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, new DERBitString(q.getEncoded(false)), null);
      return new PrivateKeyInfo(ALGORITHM, sec1).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode a private key", e);
    }
  }

  private static ECParameterSpec jcaParams() {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec("secp256r1"));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JCA has no P-256 (secp256r1) support", e);
    }
  }
}
