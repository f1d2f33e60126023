package dev.releasegate.pipeline;

import dev.releasegate.spi.OutputKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one rule of outputs, walked in the pipeline's order: a stage may require only what an earlier
 * stage that runs produces. The validator walks it over the file; a release over the stages it does not
 * skip, so that skipping a producer is refused where its output is needed.
 */
public final class OutputFlow {
  private final Map<OutputKey<?>, String> producers = new HashMap<>();
  private final Map<OutputKey<?>, String> skippedProducers = new HashMap<>();

  /** What of {@code required} no earlier stage that runs produces. */
  public List<OutputKey<?>> unmet(Set<OutputKey<?>> required) {
    return required.stream().filter(key -> !producers.containsKey(key)).toList();
  }

  /** The first stage that would have produced {@code key}, had it not been skipped. */
  public Optional<String> skippedProducer(OutputKey<?> key) {
    return Optional.ofNullable(skippedProducers.get(key));
  }

  /** Records a stage's outputs, after its requirements were checked. */
  public void produced(String stage, Set<OutputKey<?>> outputs, boolean skipped) {
    outputs.forEach(key -> (skipped ? skippedProducers : producers).putIfAbsent(key, stage));
  }
}
