package dev.releasegate.base;

/** Something outside the input failed: a registry that cannot be reached, a missing tool or runtime. */
public class EnvironmentException extends ReleasegateException {
  private static final long serialVersionUID = 1L;

  public EnvironmentException(String message) {
    super(message, null);
  }

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code problem}, and what the user can do about it. */
  public EnvironmentException(String problem, Remedy remedy) {
    super(problem, remedy, null);
  }

  public EnvironmentException(String problem, Remedy remedy, Throwable cause) {
    super(problem, remedy, cause);
  }
}
