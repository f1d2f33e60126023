package dev.releasegate.api;

import java.util.List;

/**
 * What an auditor requires of a bundle beyond authenticity.
 *
 * @param requirePassed stage names or stage types that must have run and passed
 * @param allowDirty whether a release from a dirty work tree is acceptable
 */
public record EvidencePolicy(List<String> requirePassed, boolean allowDirty) {
  public static final EvidencePolicy NONE = new EvidencePolicy(List.of(), true);

  public EvidencePolicy {
    requirePassed = List.copyOf(requirePassed);
  }
}
