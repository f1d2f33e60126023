package dev.releasegate.cosign;

import dev.releasegate.evidence.DsseEnvelope;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who may have signed an image's signatures and attestations, in cosign's legacy layers or as Sigstore
 * bundles, and what proves it: trusted public keys ({@link KeyTrust}), or Fulcio certificates for an
 * identity, logged in Rekor ({@link KeylessTrust}). The image and attestation verifiers check the form
 * and what is signed; this checks the signer.
 */
public sealed interface SignatureTrust permits KeyTrust, KeylessTrust {

  /**
   * Checks one signature.
   *
   * @param signed the signed bytes: a simple-signing payload, or the DSSE PAE of an envelope
   * @param signature the ASN.1 DER ECDSA signature
   * @param annotations the layer's annotations (certificate, chain, Rekor bundle)
   * @param envelope the envelope when {@code signed} is its PAE, so that a DSSE log entry can be matched
   */
  Outcome check(byte[] signed, byte[] signature, Map<String, String> annotations, Optional<DsseEnvelope> envelope);

  /** The first of the envelope's signatures (over its PAE) that this accepts; else why the first one failed. */
  default Outcome checkEnvelope(DsseEnvelope envelope, Map<String, String> annotations) {
    Optional<Outcome> first = Optional.empty();
    for (DsseEnvelope.Signature signature : envelope.signatures()) {
      Outcome outcome = check(envelope.pae(), signature.sig(), annotations, Optional.of(envelope));
      if (outcome.passed()) {
        return outcome;
      }
      first = first.or(() -> Optional.of(outcome));
    }
    return first.orElseGet(() -> Outcome.failed("has no signature"));
  }

  /**
   * Checks a Sigstore bundle's signature over what it claims to sign; whether that is the image is
   * the caller's to check, after this.
   *
   * @param signedDigest the digest it claims to sign, {@link SigstoreBundle#signedDigest}
   */
  Outcome checkBundle(SigstoreBundle bundle, String signedDigest);

  /**
   * The result for one signature.
   *
   * @param problem why it does not count; empty when it does
   * @param signer the key id, or the certificate identity, that signed
   * @param integratedTime Unix seconds at which Rekor logged it, when a log entry was verified
   */
  record Outcome(Optional<String> problem, Optional<String> signer, OptionalLong integratedTime) {
    public Outcome {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(integratedTime, "integratedTime");
      if (problem.isPresent() == signer.isPresent()) {
        throw new IllegalArgumentException("an outcome has either a problem or a signer");
      }
    }

    static Outcome failed(String problem) {
      return new Outcome(Optional.of(problem), Optional.empty(), OptionalLong.empty());
    }

    static Outcome signedBy(String signer, OptionalLong integratedTime) {
      return new Outcome(Optional.empty(), Optional.of(signer), integratedTime);
    }

    public boolean passed() {
      return problem.isEmpty();
    }
  }
}
