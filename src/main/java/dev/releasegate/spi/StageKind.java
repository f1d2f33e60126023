package dev.releasegate.spi;

import java.util.Locale;

/**
 * What a stage may change in what deployers see. The runner starts every publisher only after every
 * gate of the run passed, so that nothing a deployer's tool accepts exists for a rejected digest.
 */
public enum StageKind {
  /**
   * Decides and publishes nothing a deployer's tool reads: no tag, signature, attestation or referrer.
   * Gates run as soon as their inputs exist, several at a time.
   */
  GATE,
  /** Writes what deployers see (tags, signatures, attestations, referrers); one at a time, in file order. */
  PUBLISHER;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
