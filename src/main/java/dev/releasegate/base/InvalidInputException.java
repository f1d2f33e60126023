package dev.releasegate.base;

/** The input cannot be used as given: a usage error, a bad pipeline, key, policy or bundle layout. */
public class InvalidInputException extends ReleasegateException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message, null);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code problem}, and what the user can do about it. */
  public InvalidInputException(String problem, Remedy remedy) {
    super(problem, remedy, null);
  }

  public InvalidInputException(String problem, Remedy remedy, Throwable cause) {
    super(problem, remedy, cause);
  }
}
