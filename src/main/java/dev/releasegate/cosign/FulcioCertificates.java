package dev.releasegate.cosign;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * Reads the signer identity out of a Fulcio certificate, for messages: sigstore-java's matcher only says
 * that no identity matched, not which identity the certificate holds.
 */
final class FulcioCertificates {
  /** The OIDC issuer as a DER UTF8String (Fulcio since 2022). */
  private static final String ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  /** The OIDC issuer as raw bytes (older Fulcio certificates). */
  private static final String ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  private static final int RFC822_NAME = 1;
  private static final int URI = 6;

  private FulcioCertificates() {}

  /** The e-mail or URI subject alternative name, when there is exactly one. */
  static Optional<String> identity(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null || names.size() != 1) {
        return Optional.empty();
      }
      List<?> name = names.iterator().next();
      int type = (Integer) name.get(0);
      return type == RFC822_NAME || type == URI ? Optional.of((String) name.get(1)) : Optional.empty();
    } catch (CertificateParsingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The OIDC issuer extension. */
  static Optional<String> issuer(X509Certificate certificate) {
    try {
      byte[] v2 = certificate.getExtensionValue(ISSUER_V2);
      if (v2 != null) {
        ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
        return inner instanceof ASN1String s ? Optional.of(s.getString()) : Optional.empty();
      }
      byte[] v1 = certificate.getExtensionValue(ISSUER_V1);
      if (v1 != null) {
        return Optional.of(new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8));
      }
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
