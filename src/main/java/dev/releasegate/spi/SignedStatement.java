package dev.releasegate.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A statement an earlier stage of the run produced, as its signed DSSE envelope.
 *
 * @param stage the stage's name
 * @param predicateType the statement's predicate type
 * @param envelope the envelope, compact JSON
 * @param aboutImage true when the statement's subject is the image digest (not the git commit)
 * @param sigstoreBundle keyless: the Sigstore bundle of the envelope's signature (certificate, log entry)
 */
public record SignedStatement(String stage, String predicateType, byte[] envelope, boolean aboutImage, Optional<String> sigstoreBundle) {
  public SignedStatement {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(predicateType, "predicateType");
    envelope = envelope.clone();
    Objects.requireNonNull(sigstoreBundle, "sigstoreBundle");
  }

  @Override
  public byte[] envelope() {
    return envelope.clone();
  }
}
