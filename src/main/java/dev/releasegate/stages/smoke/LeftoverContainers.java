package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The containers an earlier smoke run left behind because its releasegate was killed before it could
 * remove them: those whose owner process is gone. A live release's containers are left alone.
 */
final class LeftoverContainers {
  private LeftoverContainers() {}

  /** Removes them, with a warning for each, removed or not. */
  static void remove(ContainerRuntime runtime, UnaryOperator<String> redact, Consumer<String> warnings) throws InterruptedException {
    ContainerRuntime.Result listed = runtime.run(runtime.listLabelled(ContainerLabels.OWNER));
    List<String> ids = listed.ok() ? listed.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList() : List.of();
    if (ids.isEmpty()) {
      return;
    }
    ContainerRuntime.Result inspected = runtime.run(runtime.inspectLabels(ids));
    for (String line : inspected.stdout().lines().toList()) {
      int space = line.indexOf(' ');
      if (space < 0) {
        continue;
      }
      String name = line.substring(0, space).replaceFirst("^/", "");
      JsonNode labels;
      try {
        labels = Json.parse(line.substring(space + 1).getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        continue;
      }
      if (ContainerLabels.ownerAlive(labels.path(ContainerLabels.OWNER).asText(""))) {
        continue;
      }
      ContainerRuntime.Result removed = runtime.run(runtime.remove(name));
      if (removed.ok()) {
        warnings.accept("removed container " + name + ", left running by an earlier release (run "
            + labels.path(ContainerLabels.RUN).asText("?") + ") that was stopped before it could remove it");
      } else {
        warnings.accept("cannot remove container " + name + ", left by an earlier release: " + redact.apply(removed.error()));
      }
    }
  }
}
