package dev.releasegate.evidence;

import dev.releasegate.base.ReleaseStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of verifying one evidence bundle.
 *
 * @param bundle the folder that was verified
 * @param status the verdict the bundle claims, when its run record could be read
 * @param reason why the run was not released, from its signed record
 * @param image {@code repository@digest} of the released image, if the run built one
 * @param commit the git commit the run was made from, when readable
 * @param problems failed checks, each {@code file: check: message}; empty for an authentic bundle
 * @param policyViolations what the bundle lacks for the given policy
 */
public record EvidenceReport(
    Path bundle,
    Optional<ReleaseStatus> status,
    Optional<String> reason,
    Optional<String> image,
    Optional<String> commit,
    List<String> problems,
    List<String> policyViolations) {

  public EvidenceReport {
    Objects.requireNonNull(bundle, "bundle");
    problems = List.copyOf(problems);
    policyViolations = List.copyOf(policyViolations);
  }

  /** Signed by the trusted signer and internally consistent. */
  public boolean authentic() {
    return problems.isEmpty();
  }

  /** Authentic, released, and meeting the policy: the only case an auditor accepts. */
  public boolean accepted() {
    return authentic() && status.equals(Optional.of(ReleaseStatus.RELEASED)) && policyViolations.isEmpty();
  }
}
