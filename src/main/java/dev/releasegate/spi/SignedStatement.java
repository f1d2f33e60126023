package dev.releasegate.spi;

import java.util.Objects;

/**
 * A statement an earlier stage of the run produced, as its signed DSSE envelope.
 *
 * @param stage the stage's name
 * @param predicateType the statement's predicate type
 * @param envelope the envelope, compact JSON
 * @param aboutImage true when the statement's subject is the image digest (not the git commit)
 */
public record SignedStatement(String stage, String predicateType, byte[] envelope, boolean aboutImage) {
  public SignedStatement {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(predicateType, "predicateType");
    envelope = envelope.clone();
  }

  @Override
  public byte[] envelope() {
    return envelope.clone();
  }
}
