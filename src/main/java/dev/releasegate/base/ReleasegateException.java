package dev.releasegate.base;

/**
 * Base of every failure the library reports to its caller. The subclass says whose fault it is, which
 * is what the command line turns into an exit code: {@link InvalidInputException} (the user's input)
 * or {@link EnvironmentException} (the machine, network or a tool).
 */
public abstract class ReleasegateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected ReleasegateException(String message, Throwable cause) {
    super(message, cause);
  }
}
