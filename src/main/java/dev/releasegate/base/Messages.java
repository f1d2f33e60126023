package dev.releasegate.base;

/** Messages of other libraries and tools, made fit for one line of releasegate's. */
public final class Messages {
  private Messages() {}

  /**
   * The first line of a message: tools and libraries (sigstore-java, Jackson, trivy) put detail such as
   * hashes, stack positions or help on further lines, which a one-line reason does not need.
   * {@code null} is {@code ""}.
   */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** {@link #firstLine(String)} of an exception's message; {@code "null"} when it has none, as {@code String.valueOf} says it. */
  public static String firstLine(Throwable e) {
    return firstLine(String.valueOf(e.getMessage()));
  }
}
