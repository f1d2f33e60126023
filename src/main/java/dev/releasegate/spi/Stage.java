package dev.releasegate.spi;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;

/**
 * One step of a release pipeline. A stage decides: it returns a {@link StageResult} that passed or
 * rejected the release, and the runner turns that result into a signed statement.
 *
 * <p>A stage that cannot decide must not pass. It throws {@link InvalidInputException} when the
 * project or its configuration is at fault, {@link EnvironmentException} when the machine, network or
 * a tool is; the runner records either as a failed stage.
 */
@FunctionalInterface
public interface Stage {

  StageResult run(StageContext context) throws InterruptedException;
}
