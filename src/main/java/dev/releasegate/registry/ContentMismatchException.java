package dev.releasegate.registry;

import dev.releasegate.base.EnvironmentException;

/**
 * The registry sent bytes that do not match the digest they were asked for: what it stores was
 * changed, or a proxy on the way changes it. Not retried; a verifier treats it as a failed check.
 */
public final class ContentMismatchException extends EnvironmentException {
  private static final long serialVersionUID = 1L;

  public ContentMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
