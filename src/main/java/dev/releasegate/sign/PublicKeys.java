package dev.releasegate.sign;

import dev.releasegate.base.InvalidInputException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA P-256 public keys in the PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo) form that cosign, openssl
 * and Go write. Keys are re-encoded canonically on output, so {@link #toPem} and {@link #keyId} do not
 * depend on which JCA provider produced the key object.
 */
public final class PublicKeys {
  public static final String PEM_TYPE = "PUBLIC KEY";

  private PublicKeys() {}

  public static PublicKey read(Path pemFile) {
    Objects.requireNonNull(pemFile, "pemFile");
    return parse(Pem.readText(pemFile), pemFile.toString());
  }

  /** Parses PEM text; {@code sourceName} names the input in error messages. */
  public static PublicKey parse(String pem, String sourceName) {
    Objects.requireNonNull(pem, "pem");
    Objects.requireNonNull(sourceName, "sourceName");
    Pem.Block block = Pem.decode(pem, sourceName);
    if (!block.type().equals(PEM_TYPE)) {
      throw invalid(sourceName, "expected PEM type " + PEM_TYPE + ", found " + block.type());
    }
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(block.der()));
    } catch (Exception e) {
      throw invalid(sourceName, "not a valid SubjectPublicKeyInfo");
    }
    AlgorithmIdentifier algorithm = spki.getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      throw invalid(sourceName, "public key is not an EC key (algorithm " + algorithm.getAlgorithm()
          + "); only ECDSA P-256 is supported");
    }
    if (!X9ObjectIdentifiers.prime256v1.equals(algorithm.getParameters())) {
      throw invalid(sourceName, "EC public key is not on curve P-256 (parameters " + algorithm.getParameters()
          + "); only ECDSA P-256 is supported");
    }
    byte[] point = spki.getPublicKeyData().getOctets();
    // Go's x509 accepts only the uncompressed form; so do we, so that a key means one byte string.
    if (point.length != 65 || point[0] != 0x04) {
      throw invalid(sourceName, "EC public key point is not in uncompressed form");
    }
    ECPoint q;
    try {
      q = P256.CURVE.getCurve().decodePoint(point).normalize();
    } catch (IllegalArgumentException e) {
      throw invalid(sourceName, "EC public key point is not on curve P-256");
    }
    return P256.jcaPublic(q);
  }

  /** {@code -----BEGIN PUBLIC KEY-----}, base64 DER SPKI in 64-character lines, END line, newline. */
  public static String toPem(PublicKey key) {
    return Pem.encode(PEM_TYPE, der(key));
  }

  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (the Rekor/Sigstore key hint, in hex). */
  public static String keyId(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der(key)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JCA has no SHA-256", e);
    }
  }

  /** Canonical DER SubjectPublicKeyInfo: named curve OID, uncompressed point. */
  public static byte[] der(PublicKey key) {
    Objects.requireNonNull(key, "key");
    if (!(key instanceof ECPublicKey ec) || !P256.isP256(ec.getParams())) {
      throw new IllegalArgumentException("only ECDSA P-256 public keys are supported, got " + key.getAlgorithm());
    }
    return P256.spki(P256.publicPoint(ec));
  }

  private static InvalidInputException invalid(String source, String problem) {
    return new InvalidInputException(source + ": " + problem);
  }
}
