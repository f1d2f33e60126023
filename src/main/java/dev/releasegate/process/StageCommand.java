package dev.releasegate.process;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one of the project's commands, in the run's sandbox: output streamed to the display line by
 * line and kept, with secrets redacted, as an artifact of the stage. The command runs in a process
 * group of its own, under a shell that, once the command has ended, stops whatever of the group is
 * still running and names it: a release step must finish what it starts.
 */
public final class StageCommand {
  /**
   * $1 is the file the leftovers are written to, $2 the process group the command runs in ("self":
   * the one this shell leads after setsid; "1": a sandbox's, whose init leads the session), the rest
   * the command. Whatever of the group still runs once the command has ended was left behind. The
   * scan uses builtins only, so that it finds nothing of its own.
   */
  private static final String REAPER = """
      report=$1
      group=$2
      [ "$group" = self ] && group=$$
      shift 2
      "$@"
      status=$?
      found=
      for stat in /proc/[0-9]*/stat; do
        read -r line 2>/dev/null <"$stat" || continue
        pid=${stat#/proc/}
        pid=${pid%/stat}
        name=${line#*\\(}
        name=${name%\\)*}
        set -- ${line##*) }
        if [ "$pid" != $$ ] && [ "$pid" != 1 ] && [ "$3" = "$group" ] && [ "$1" != Z ]; then
          kill -TERM "$pid" 2>/dev/null
          printf '%s %s\n' "$pid" "$name" >>"$report"
          found=yes
        fi
      done
      if [ -n "$found" ]; then
        sleep 1
        while read -r pid name; do kill -KILL "$pid" 2>/dev/null; done <"$report"
      fi
      exit $status
      """;

  private StageCommand() {}

  /**
   * How the command ended, and its log in the bundle.
   *
   * @param log the combined, redacted output
   * @param leftBehind what the command left running when it ended, as PID and name ("4513 (sleep)"); it
   *     was stopped
   */
  public record Outcome(Subprocess.Result result, Artifact log, List<String> leftBehind) {
    public Outcome {
      leftBehind = List.copyOf(leftBehind);
    }

    /** What to say of a command that left processes running when it exited. */
    public Optional<String> leftBehindMessage() {
      if (leftBehind.isEmpty()) {
        return Optional.empty();
      }
      String what = leftBehind.size() == 1 ? "a background process" : leftBehind.size() + " background processes";
      return Optional.of("left " + what + " running: PID " + String.join(", PID ", leftBehind)
          + "; stopped, as a release step must finish what it starts");
    }
  }

  public static Outcome run(
      StageContext context,
      List<String> command,
      Path workingDirectory,
      Map<String, String> extraEnvironment,
      Duration timeout,
      String logName)
      throws InterruptedException, IOException {
    Map<String, String> environment = new HashMap<>(context.environment());
    environment.putAll(extraEnvironment);
    Path log = context.artifacts().directory().resolve(logName);
    Path report = Files.createTempFile("releasegate-", ".leftovers");
    try {
      List<String> launcher = new ArrayList<>(context.sandbox());
      String group = "1";
      if (launcher.isEmpty()) {
        Optional<Path> setsid = Subprocess.findExecutable("setsid", environment);
        launcher.add(setsid.orElseThrow(() -> new EnvironmentException("setsid (util-linux) is not installed")).toString());
        group = "self";
      }
      launcher.addAll(List.of("/bin/sh", "-c", REAPER, "releasegate", report.toString(), group));
      Subprocess.Result result;
      try (StageLog lines = StageLog.open(context, log)) {
        result = Subprocess.of(command).wrapper(launcher).directory(workingDirectory).environment(environment).timeout(timeout)
            .lines(lines::line).run();
      }
      String where = group.equals("1") ? " in the sandbox" : "";
      List<String> leftBehind = Files.readAllLines(report, StandardCharsets.UTF_8).stream().map(line -> describe(line) + where).toList();
      return new Outcome(result, context.artifacts().describe(log), leftBehind);
    } finally {
      Files.deleteIfExists(report);
    }
  }

  /** "123 sleep" as "123 (sleep)". */
  private static String describe(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? line : line.substring(0, space) + " (" + line.substring(space + 1) + ")";
  }
}
