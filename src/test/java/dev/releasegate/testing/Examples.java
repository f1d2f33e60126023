package dev.releasegate.testing;

import java.nio.file.Path;

/** The example projects that ship with releasegate. */
public final class Examples {
  private Examples() {}

  public static Path helloService() {
    return Path.of("examples", "hello-service").toAbsolutePath();
  }
}
