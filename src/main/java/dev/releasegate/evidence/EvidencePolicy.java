package dev.releasegate.evidence;

import java.util.List;

/**
 * What an auditor requires of a bundle beyond authenticity.
 *
 * @param requirePassed stages that must have run and passed, by stage type (the releaser chooses names,
 *     so a name alone proves nothing: an {@code exec} stage named "scan" is no scan)
 * @param allowDirty whether a release from a dirty work tree is acceptable
 * @param requireIsolation whether the project's commands must have run isolated from the release's secrets
 * @param maxScanDbAgeHours when set, every passed trivy scan's vulnerability DB may be at most this old
 *     at verification time (a promotion of an old release is refused once its scan is stale)
 * @param minWaiverValidityDays when set, every waiver a passed scan applied must still be valid for
 *     this many days at verification time; 0 refuses waivers that have expired since the release
 */
public record EvidencePolicy(
    List<Requirement> requirePassed, boolean allowDirty, boolean requireIsolation, java.util.Optional<Long> maxScanDbAgeHours,
    java.util.Optional<Long> minWaiverValidityDays) {
  public static final EvidencePolicy NONE = new EvidencePolicy(List.of(), true, false);

  public EvidencePolicy {
    requirePassed = List.copyOf(requirePassed);
    java.util.Objects.requireNonNull(maxScanDbAgeHours, "maxScanDbAgeHours");
    java.util.Objects.requireNonNull(minWaiverValidityDays, "minWaiverValidityDays");
  }

  public EvidencePolicy(List<Requirement> requirePassed, boolean allowDirty, boolean requireIsolation) {
    this(requirePassed, allowDirty, requireIsolation, java.util.Optional.empty(), java.util.Optional.empty());
  }

  /**
   * A stage that must have passed: one of this type, and with this name when one is given.
   *
   * @param name empty for any stage of the type
   */
  public record Requirement(String type, java.util.Optional<String> name) {
    public Requirement {
      java.util.Objects.requireNonNull(type, "type");
      java.util.Objects.requireNonNull(name, "name");
    }

    public static Requirement type(String type) {
      return new Requirement(type, java.util.Optional.empty());
    }

    @Override
    public String toString() {
      return name.map(value -> "stage '" + value + "' of type " + type).orElse("a stage of type " + type);
    }
  }
}
