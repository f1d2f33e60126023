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
}
