package dev.releasegate.api;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.cosign.KeylessBundleVerifier;
import dev.releasegate.cosign.KeylessEnvelopeVerifier;
import dev.releasegate.evidence.EnvelopeVerifier;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.EvidenceVerifier;
import dev.releasegate.evidence.KeyEnvelopeVerifier;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.sign.PublicKeys;
import java.nio.file.Path;

/**
 * Verifies evidence bundles against who should have signed them: every envelope's signature by the key,
 * or keylessly every envelope's Sigstore bundle, offline, for the identity.
 */
final class TrustedEvidence {
  private final Trust trust;

  TrustedEvidence(Trust trust) {
    this.trust = trust;
  }

  /** @throws InvalidInputException when the folder is not a bundle, or the key or trusted root cannot be read */
  EvidenceReport verify(Path bundle, EvidencePolicy policy) {
    EnvelopeVerifier verifier = trust instanceof Trust.Keyless keyless
        ? new KeylessEnvelopeVerifier(KeylessBundleVerifier.fromTrustedRoot(keyless.trustedRoot()), keyless.identity())
        : new KeyEnvelopeVerifier(PublicKeys.read(((Trust.Key) trust).publicKey()));
    return new EvidenceVerifier(verifier, StageTypes.load().predicateTypes()).verify(bundle, policy);
  }
}
