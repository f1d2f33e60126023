package dev.releasegate.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Terminal detection on the descriptor the display writes to, and NO_COLOR. */
class TerminalsTest {
  @TempDir Path dir;

  private Path fd(String target) throws IOException {
    return Files.createSymbolicLink(dir.resolve("fd-" + target.replace('/', '_')), Path.of(target));
  }

  @Test
  void aDescriptorOnAPseudoTerminalOrTtyIsATerminal() throws IOException {
    assertTrue(Terminals.isTerminal(fd("/dev/pts/3"), Map.of()));
    assertTrue(Terminals.isTerminal(fd("/dev/tty1"), Map.of()));
  }

  @Test
  void aFileAPipeOrADumbTerminalIsNot() throws IOException {
    assertFalse(Terminals.isTerminal(fd("/tmp/build.log"), Map.of()));
    assertFalse(Terminals.isTerminal(fd("pipe:[12345]"), Map.of()));
    assertFalse(Terminals.isTerminal(fd("/dev/pts/3"), Map.of("TERM", "dumb")), "no cursor control on a dumb terminal");
  }

  @Test
  void noColorTurnsColoursOffWhenSetToAnything() {
    assertTrue(Terminals.colorsAllowed(Map.of()));
    assertTrue(Terminals.colorsAllowed(Map.of("NO_COLOR", "")), "an empty NO_COLOR is unset, as no-color.org says");
    assertFalse(Terminals.colorsAllowed(Map.of("NO_COLOR", "1")));
  }
}
