package dev.releasegate.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a stage decided, and the predicate of the statement that records it. Immutable.
 *
 * <p>{@link Outcome#REJECTED} means the gate looked and said no: the release stops with exit code 1.
 */
public final class StageResult {

  public enum Outcome {
    PASSED,
    REJECTED
  }

  private final Outcome outcome;
  private final String summary;
  private final List<String> details;
  private final List<String> warnings;
  private final ObjectNode predicate;
  private final Map<OutputKey<?>, Object> outputs;

  private StageResult(Builder builder) {
    this.outcome = builder.outcome;
    this.summary = builder.summary;
    this.details = List.copyOf(builder.details);
    this.warnings = List.copyOf(builder.warnings);
    this.predicate = Objects.requireNonNull(builder.predicate, "predicate").deepCopy();
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(builder.outputs));
    if (outcome == Outcome.REJECTED && !outputs.isEmpty()) {
      throw new IllegalStateException("a rejected stage publishes no outputs");
    }
  }

  public static Builder passed(String summary) {
    return new Builder(Outcome.PASSED, summary);
  }

  public static Builder rejected(String summary) {
    return new Builder(Outcome.REJECTED, summary);
  }

  public Outcome outcome() {
    return outcome;
  }

  /** One line: what was decided and why. */
  public String summary() {
    return summary;
  }

  /** Further lines for the reader, such as the blocking findings. */
  public List<String> details() {
    return details;
  }

  public List<String> warnings() {
    return warnings;
  }

  public ObjectNode predicate() {
    return predicate.deepCopy();
  }

  public Map<OutputKey<?>, Object> outputs() {
    return outputs;
  }

  /** Accumulates a result; {@link #predicate(ObjectNode)} is required. */
  public static final class Builder {
    private final Outcome outcome;
    private final String summary;
    private final List<String> details = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<OutputKey<?>, Object> outputs = new LinkedHashMap<>();
    private ObjectNode predicate;

    private Builder(Outcome outcome, String summary) {
      this.outcome = outcome;
      this.summary = Objects.requireNonNull(summary, "summary");
    }

    public Builder predicate(ObjectNode predicate) {
      this.predicate = predicate;
      return this;
    }

    public Builder detail(String line) {
      details.add(Objects.requireNonNull(line));
      return this;
    }

    public Builder warning(String line) {
      warnings.add(Objects.requireNonNull(line));
      return this;
    }

    public <T> Builder output(OutputKey<T> key, T value) {
      outputs.put(key, key.type().cast(Objects.requireNonNull(value, key.name())));
      return this;
    }

    public StageResult build() {
      return new StageResult(this);
    }
  }
}
