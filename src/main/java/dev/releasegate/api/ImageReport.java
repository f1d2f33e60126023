package dev.releasegate.api;

import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The result of verifying an image's signatures and attestations in its registry.
 *
 * @param image {@code repository@digest}
 * @param signers key ids (or, keyless, certificate identities) of the signatures that verified
 * @param predicateTypes predicate types of the attestations that verified
 * @param failures why the image does not verify; empty when it does
 * @param notes layers that did not verify although others did
 */
public record ImageReport(String image, List<String> signers, SortedSet<String> predicateTypes, List<String> failures, List<String> notes) {
  public ImageReport {
    Objects.requireNonNull(image, "image");
    signers = List.copyOf(signers);
    predicateTypes = new TreeSet<>(predicateTypes);
    failures = List.copyOf(failures);
    notes = List.copyOf(notes);
  }

  public boolean verified() {
    return failures.isEmpty();
  }
}
