package dev.releasegate.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The CI run a release happens in, for provenance.
 *
 * @param system {@code github-actions} or {@code jenkins}
 * @param url the run's page, where a reader finds its logs
 * @param facts what the CI says about the run (repository, run id, job, build number, …), in a stable order
 */
public record CiRun(String system, Optional<String> url, Map<String, String> facts) {
  public CiRun {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(url, "url");
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }
}
