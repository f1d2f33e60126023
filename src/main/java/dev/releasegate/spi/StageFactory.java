package dev.releasegate.spi;

import java.util.Set;

/**
 * Creates stages of one type. Implementations are found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/dev.releasegate.spi.StageFactory} and put the jar on the class path.
 *
 * <p>The factory describes its options so that a pipeline file can be validated, with every problem
 * and its position, before any stage runs.
 */
public interface StageFactory {

  /** The name used in a pipeline file's {@code uses:}; lower case letters, digits and dashes. */
  String type();

  /** One line for {@code releasegate stages}. */
  String description();

  /** The in-toto predicate type of the statements this stage's results become. */
  String predicateType();

  /** The options accepted under {@code with:}. */
  default OptionsSpec options() {
    return OptionsSpec.NONE;
  }

  /** Outputs an earlier stage must have produced; validation fails if none does. */
  default Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of();
  }

  /** Outputs this stage publishes for later stages when it passes. */
  default Set<OutputKey<?>> produces(StageOptions options) {
    return Set.of();
  }

  /** Checks that go beyond the declared option types. Report each problem; do not throw. */
  default void check(StageOptions options, Problems problems) {}

  Stage create(StageOptions options);
}
