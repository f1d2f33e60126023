package dev.releasegate.stages;

import dev.releasegate.spi.StageOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command a stage runs in the project, from the options the test and exec stages both declare:
 * {@code command}, {@code timeoutSeconds}, {@code env} and {@code workingDirectory}.
 *
 * @param command a program and its arguments, run without a shell
 * @param workingDirectory relative to the project; the stage checks that it stays inside
 */
public record CommandOptions(List<String> command, Duration timeout, Map<String, String> env, String workingDirectory) {

  public CommandOptions {
    command = List.copyOf(command);
    if (command.isEmpty() || command.get(0).isEmpty()) {
      throw new IllegalArgumentException("command must name a program");
    }
    Objects.requireNonNull(timeout, "timeout");
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    Objects.requireNonNull(workingDirectory, "workingDirectory");
  }

  /** Reads the four options, which the schema checks completely. */
  public static CommandOptions read(StageOptions options) {
    return new CommandOptions(options.stringList("command"), Duration.ofSeconds(options.integer("timeoutSeconds")),
        options.stringMap("env"), options.string("workingDirectory"));
  }
}
