package dev.releasegate.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The verified promotions of one environment of a repository, newest first.
 *
 * @param repository the repository whose environment tag this is
 * @param current what the environment tag names now, if it exists
 * @param problems promotion attestations that did not verify or could not be read; never listed as promotions
 */
public record EnvironmentHistory(String repository, String environment, Optional<String> current, List<Promotion> promotions, List<String> problems) {

  public EnvironmentHistory {
    promotions = List.copyOf(promotions);
    problems = List.copyOf(problems);
  }

  /**
   * One promotion, as its signed attestation says.
   *
   * @param previous what the tag named before
   * @param from where the release was promoted from, {@code REPOSITORY@sha256:…}
   * @param signer the key id or identity that signed the promotion
   */
  public record Promotion(
      String digest, Optional<String> previous, String version, String commit, Instant promotedAt, String from, String signer,
      Optional<String> ciUrl) {}
}
