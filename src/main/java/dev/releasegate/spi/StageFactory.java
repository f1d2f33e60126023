package dev.releasegate.spi;

import java.time.Duration;
import java.util.Set;

/**
 * Creates stages of one type. Implementations are found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/dev.releasegate.spi.StageFactory} and put the jar on the class path.
 *
 * <p>The factory describes its options so that a pipeline file can be validated, with every problem
 * and its position, before any stage runs, and what the stage consumes and produces, so that the
 * runner can order the stages and run independent gates at the same time.
 */
public interface StageFactory {

  /** The name used in a pipeline file's {@code uses:}; lower case letters, digits and dashes. */
  String type();

  /** One line for {@code releasegate stages}. */
  String description();

  /** The in-toto predicate type of the statements this stage's results become. */
  String predicateType();

  /**
   * Gate or publisher. A gate decides and writes nothing a deployer's tool reads; a publisher (tags,
   * signatures, attestations, referrers) starts only after every gate of the run passed.
   */
  StageKind kind();

  /**
   * Whether the stage runs commands in the project's work tree (a build, the tests). Such stages never
   * run at the same time as each other; a stage that only reads the image or the registry returns
   * false and runs beside them. The default assumes the worst.
   */
  default boolean usesWorkTree(StageOptions options) {
    return true;
  }

  /** The options accepted under {@code with:}. */
  default OptionSchema options() {
    return OptionSchema.NONE;
  }

  /** Outputs an earlier stage must have produced; validation fails if none does. */
  default Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of();
  }

  /** Outputs this stage publishes for later stages when it passes. */
  default Set<OutputKey<?>> produces(StageOptions options) {
    return Set.of();
  }

  /**
   * Environment variables whose values the stage will read as secrets (with {@link
   * StageContext#secret}). The run learns them before any stage starts: they are redacted from the
   * first line any stage prints, and no subprocess of any stage sees them.
   */
  default Set<String> secretVariables(StageOptions options) {
    return Set.of();
  }

  /** How long a stage runs at most, unless its options say otherwise. */
  Duration DEFAULT_DEADLINE = Duration.ofMinutes(30);
  /** What a stage bounded by its own {@code timeoutSeconds} may take beyond it, to record what it did. */
  Duration DEADLINE_MARGIN = Duration.ofMinutes(5);

  /**
   * How long the stage may run before the runner stops it and fails it; a pipeline's {@code
   * timeoutMinutes} overrides it. By default its own {@code timeoutSeconds} option plus {@link
   * #DEADLINE_MARGIN}, or {@link #DEFAULT_DEADLINE}. A stage that is stopped is interrupted: it must
   * answer an interrupt by ending.
   */
  default Duration deadline(StageOptions options) {
    return options.findInteger("timeoutSeconds").map(seconds -> Duration.ofSeconds(seconds).plus(DEADLINE_MARGIN)).orElse(DEFAULT_DEADLINE);
  }

  /** Checks that go beyond the declared option types. Report each problem; do not throw. */
  default void check(StageOptions options, Problems problems) {}

  /**
   * The base image digest an earlier run of this stage built on, read from its signed predicate. A stage
   * that builds on a base image says so, and {@code --resume} reuses it only while the base is unchanged.
   */
  default java.util.Optional<String> baseImageDigest(com.fasterxml.jackson.databind.JsonNode predicate) {
    return java.util.Optional.empty();
  }

  /**
   * How this stage's predicate reads back in the release report and the JUnit view. Without one, a
   * stage shows its status and reason, and its decision is its only check.
   */
  default java.util.Optional<PredicateReader> predicateReader() {
    return java.util.Optional.empty();
  }

  /**
   * The programs this stage runs, by name or path, so that {@code releasegate check} can say before a
   * release whether each is there and which version. By default the first word of every command option.
   */
  default java.util.List<String> tools(StageOptions options) {
    java.util.List<String> tools = new java.util.ArrayList<>();
    for (OptionSpec option : options().all()) {
      if (option.kind() == OptionSpec.Kind.COMMAND && options.has(option.name()) && !options.stringList(option.name()).isEmpty()) {
        tools.add(options.stringList(option.name()).get(0));
      }
    }
    return tools;
  }

  Stage create(StageOptions options);
}
