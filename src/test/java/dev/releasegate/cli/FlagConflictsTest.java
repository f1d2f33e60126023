package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Flags that exclude each other are said with the flags a user typed, and exit 2 before anything runs. */
class FlagConflictsTest {
  private record Run(int exitCode, String stderr) {}

  private static Run run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return new Run(Main.run(args), captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void keyAndKeylessExcludeEachOther() {
    for (String command : new String[] {"release", "check"}) {
      Run result = run(command, "--key", "cosign.key", "--keyless");
      assertEquals(Main.INVALID_INPUT, result.exitCode(), command + ": " + result.stderr());
      assertTrue(result.stderr().contains("--key and --keyless exclude each other"), command + ": " + result.stderr());
    }
  }

  @Test
  void aDryRunDoesNotResume() {
    Run result = run("release", "--dry-run", "--resume");
    assertEquals(Main.INVALID_INPUT, result.exitCode(), result.stderr());
    assertTrue(result.stderr().contains("a dry run starts afresh; leave out --resume"), result.stderr());
  }
}
