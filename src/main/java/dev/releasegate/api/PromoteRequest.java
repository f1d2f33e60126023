package dev.releasegate.api;

import dev.releasegate.evidence.EvidencePolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code promote} is asked: which released digest goes to which repository as which environment,
 * whom to trust for the release, and how to sign the promotion.
 *
 * @param source the released image, {@code REPOSITORY@sha256:…}
 * @param destination the repository to promote to (may be the source's own)
 * @param environment the environment tag to point at the digest, e.g. {@code staging}
 * @param trust who must have signed the release
 * @param policy demands on the release's evidence beyond authenticity
 * @param policyFile the policy's file, whose digest the promotion attestation records
 * @param signing how the promotion attestation is signed
 * @param variables the environment: credentials, {@code COSIGN_PASSWORD}, CI facts, {@code HOME}
 */
public record PromoteRequest(
    String source, String destination, String environment, Trust trust, EvidencePolicy policy, Optional<Path> policyFile,
    Signing signing, boolean insecureRegistry, Map<String, String> variables) {

  public PromoteRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(policyFile, "policyFile");
    Objects.requireNonNull(signing, "signing");
    variables = Map.copyOf(variables);
  }

  /** How the promotion is signed: a cosign key (its password in {@code COSIGN_PASSWORD}), or keyless in GitHub Actions. */
  public sealed interface Signing {
    record Key(Path privateKey) implements Signing {}

    record Keyless() implements Signing {}
  }
}
