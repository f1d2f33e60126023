package dev.releasegate.base;

import java.util.Optional;

/**
 * Base of every failure the library reports to its caller. The subclass says whose fault it is, which
 * is what the command line turns into an exit code: {@link InvalidInputException} (the user's input)
 * or {@link EnvironmentException} (the machine, network or a tool). A failure the user can remedy carries
 * the {@link Remedy}, so that a front end can say it in its own terms.
 */
public abstract class ReleasegateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String problem;
  private final Remedy remedy;

  protected ReleasegateException(String message, Throwable cause) {
    super(message, cause);
    this.problem = message;
    this.remedy = null;
  }

  /** A failure whose message is {@code problem; remedy.advice()}. */
  protected ReleasegateException(String problem, Remedy remedy, Throwable cause) {
    super(problem + "; " + remedy.advice(), cause);
    this.problem = problem;
    this.remedy = remedy;
  }

  /** The message without the remedy's advice: what went wrong. */
  public String problem() {
    return problem;
  }

  /** What the user can do about it, when the library knows. */
  public Optional<Remedy> remedy() {
    return Optional.ofNullable(remedy);
  }
}
