package dev.releasegate.cosign;

import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/** Tells a malformed signature from a well-formed one by another key, for a precise message. */
final class DerSignatures {
  private DerSignatures() {}

  /** True for the one DER encoding of {@code SEQUENCE { INTEGER r, INTEGER s }} with r, s > 0. */
  static boolean isEcdsaDer(byte[] signature) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
      return seq.size() == 2
          && seq.getObjectAt(0) instanceof ASN1Integer r
          && seq.getObjectAt(1) instanceof ASN1Integer s
          && r.getValue().signum() > 0
          && s.getValue().signum() > 0
          && Arrays.equals(seq.getEncoded(ASN1Encoding.DER), signature);
    } catch (Exception e) {
      return false;
    }
  }
}
