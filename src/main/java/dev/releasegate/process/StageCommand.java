package dev.releasegate.process;

import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one of the project's commands, in the run's sandbox: output streamed to the display line by
 * line and kept, with secrets redacted, as an artifact of the stage.
 */
public final class StageCommand {
  private StageCommand() {}

  /**
   * How the command ended, and its log in the bundle.
   *
   * @param log the combined, redacted output
   */
  public record Outcome(Subprocess.Result result, Artifact log) {
    /** What to say of a command that left processes running when it exited; they were stopped. */
    public java.util.Optional<String> leftBehind() {
      return result.leftBehind().isEmpty() ? java.util.Optional.empty()
          : java.util.Optional.of("left a background process running (PID " + result.leftBehind().stream().map(String::valueOf)
              .collect(java.util.stream.Collectors.joining(", ")) + "), which was stopped; a release step must finish what it starts");
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
    Subprocess.Result result;
    try (StageLog lines = StageLog.open(context, log)) {
      result = Subprocess.of(command).wrapper(context.sandbox()).directory(workingDirectory).environment(environment).timeout(timeout)
          .lines(lines::line).run();
    }
    return new Outcome(result, context.artifacts().describe(log));
  }
}
