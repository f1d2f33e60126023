package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Flags that exclude each other are said with the flags a user typed, and exit 2 before anything runs. */
class FlagConflictsTest {
  @Test
  void keyAndKeylessExcludeEachOther() {
    for (String command : new String[] {"release", "check"}) {
      CommandRun result = CommandRun.of(command, "--key", "cosign.key", "--keyless");
      assertEquals(Main.INVALID_INPUT, result.exitCode(), command + ": " + result.stderr());
      assertTrue(result.stderr().contains("--key and --keyless exclude each other"), command + ": " + result.stderr());
    }
  }

  @Test
  void aDryRunDoesNotResume() {
    CommandRun result = CommandRun.of("release", "--dry-run", "--resume");
    assertEquals(Main.INVALID_INPUT, result.exitCode(), result.stderr());
    assertTrue(result.stderr().contains("a dry run starts afresh; leave out --resume"), result.stderr());
  }
}
