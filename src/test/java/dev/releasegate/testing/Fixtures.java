package dev.releasegate.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/fixtures (see FIXTURES.md there); Maven passes it as a system property. */
public final class Fixtures {
  private Fixtures() {}

  public static Path dir() {
    String configured = System.getProperty("releasegate.fixtures");
    return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("..", "shared", "fixtures");
  }

  public static Path file(String relative) {
    Path file = dir().resolve(relative);
    assertTrue(Files.isRegularFile(file), "missing fixture " + file);
    return file;
  }
}
