package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.ArtifactStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container's {@code logs}, read after the stop so that shutdown lines are in: stdout and stderr
 * apart, each redacted into a file in the bundle, with the lines that are not JSON counted.
 */
final class ContainerLogs {
  private ContainerLogs() {}

  /** The two files' descriptors with their line counts, by stream name. */
  static ObjectNode collect(SmokeContainer container, ArtifactStore artifacts, Consumer<String> warnings)
      throws IOException, InterruptedException {
    ContainerRuntime runtime = container.runtime();
    ObjectNode node = Json.object();
    LogStream out = new LogStream("stdout", artifacts.directory().resolve("stdout.log"), container.redact());
    LogStream err = new LogStream("stderr", artifacts.directory().resolve("stderr.log"), container.redact());
    var result = runtime.run(runtime.logs(container.name()), Map.of(), ContainerRuntime.COMMAND_TIMEOUT, out.sink(), err.sink());
    out.close();
    err.close();
    if (result.timedOut() || result.exitCode() != 0) {
      warnings.accept(runtime.name() + " logs " + (result.timedOut() ? "timed out" : "exited with " + result.exitCode())
          + "; the container's logs may be incomplete");
    }
    int lines = 0;
    int nonJson = 0;
    String first = null;
    for (LogStream stream : List.of(out, err)) {
      Artifact artifact = artifacts.describe(artifacts.directory().resolve(stream.name() + ".log"));
      node.set(stream.name(), artifact.descriptor().put("lines", stream.lines()).put("nonJsonLines", stream.nonJson()));
      lines += stream.lines();
      nonJson += stream.nonJson();
      if (first == null && stream.nonJson() > 0) {
        first = stream.name() + " line " + stream.firstNonJson();
      }
    }
    if (nonJson > 0) {
      warnings.accept(nonJson + " of " + lines + " container log lines are not JSON (first: " + first + ")");
    }
    return node;
  }
}
