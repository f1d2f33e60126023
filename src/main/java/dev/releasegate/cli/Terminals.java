package dev.releasegate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a stream goes to a terminal. The live display and prompts write to stderr, so that is what
 * must be a terminal; {@link System#console()} answers for stdin and stdout instead, and is null in
 * {@code releasegate release --json | jq} although the progress then still reaches a person.
 */
final class Terminals {
  private Terminals() {}

  /** True when stderr is a terminal and {@code TERM} is not {@code dumb}. */
  static boolean stderrIsTerminal(Map<String, String> environment) {
    return isTerminal(Path.of("/proc/self/fd/2"), environment);
  }

  /** True when the file descriptor link {@code fd} points at a terminal device, and TERM allows cursor control. */
  static boolean isTerminal(Path fd, Map<String, String> environment) {
    if ("dumb".equals(environment.get("TERM"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      // No /proc (not Linux): the console is the best answer Java 17 has.
      return System.console() != null;
    }
  }

  /** {@code NO_COLOR} set to anything non-empty turns colours off (https://no-color.org). */
  static boolean colorsAllowed(Map<String, String> environment) {
    String noColor = environment.get("NO_COLOR");
    return noColor == null || noColor.isEmpty();
  }
}
