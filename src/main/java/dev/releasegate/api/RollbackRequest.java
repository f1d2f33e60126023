package dev.releasegate.api;

import dev.releasegate.evidence.EvidencePolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code rollback} is asked: put an environment back to the release it held before (or to a named
 * one it held once), through the same checks as a promotion.
 *
 * @param repository the repository whose environment tag moves
 * @param to a version or a digest the environment held once; empty for the one before the current
 * @param promoters who must have signed the promotions the history is read from
 * @param trust who must have signed the release, as for {@code promote}
 */
public record RollbackRequest(
    String repository, String environment, Optional<String> to, Trust promoters, Trust trust,
    EvidencePolicy policy, Optional<Path> policyFile, PromoteRequest.Signing signing, boolean insecureRegistry, Map<String, String> variables) {

  public RollbackRequest {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(promoters, "promoters");
    variables = Map.copyOf(variables);
  }

  /** The promotion of {@code digest} of this repository to its own environment, with this request's checks. */
  PromoteRequest promoting(String digest) {
    return new PromoteRequest(repository + "@" + digest, repository, environment, trust, policy, policyFile, signing, insecureRegistry, variables);
  }
}
