package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The smoke container by name, under the runtime that runs it.
 *
 * @param redact applied to the runtime's errors before they reach a message
 */
record SmokeContainer(ContainerRuntime runtime, String name, UnaryOperator<String> redact) {

  SmokeContainer {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(redact, "redact");
  }

  /** The first element of {@code container inspect}; the runtime failing here means it lost the container. */
  JsonNode inspect() throws InterruptedException {
    ContainerRuntime.Result result = runtime.run(runtime.containerInspect(name));
    if (!result.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot inspect " + name + ": " + redact.apply(result.error()));
    }
    try {
      JsonNode root = Json.parse(result.stdout().getBytes(StandardCharsets.UTF_8));
      JsonNode first = root.isArray() ? root.path(0) : root;
      if (!first.isObject()) {
        throw new IOException("expected an array with one container");
      }
      return first;
    } catch (IOException e) {
      throw new EnvironmentException("cannot read the output of " + runtime.name() + " container inspect: " + e.getMessage(), e);
    }
  }
}
