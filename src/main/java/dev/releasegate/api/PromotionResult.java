package dev.releasegate.api;

import dev.releasegate.base.RegistryWrite;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code promote} did.
 *
 * @param promoted the environment tag names the digest at the destination, with a promotion attestation
 * @param source the released image, {@code REPOSITORY@sha256:…}
 * @param destination where it was promoted, {@code REPOSITORY:ENVIRONMENT}
 * @param previous the digest the environment tag named before, if any
 * @param unchanged the tag already named the digest and its promotion was attested: nothing was added
 * @param refusals why it was not promoted: the release did not verify, or another promotion won
 * @param writes every manifest written at the destination
 */
public record PromotionResult(
    boolean promoted, String source, String destination, Optional<String> previous, boolean unchanged, List<String> refusals,
    List<RegistryWrite> writes) {

  public PromotionResult {
    Objects.requireNonNull(previous, "previous");
    refusals = List.copyOf(refusals);
    writes = List.copyOf(writes);
    if (promoted != refusals.isEmpty()) {
      throw new IllegalArgumentException("a promotion either happened or says why not");
    }
  }
}
