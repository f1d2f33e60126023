package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code run -d} of the image, hardened, on a free loopback port. Secret values reach the runtime
 * through its environment only; the arguments name them.
 */
final class ContainerStart {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
  private static final int PORT_ATTEMPTS = 3;
  /** Beyond the stage's own waits, how long a container may live before the runtime kills it, should releasegate be killed. */
  private static final Duration DEAD_MAN_MARGIN = Duration.ofMinutes(5);

  /**
   * The container the run started.
   *
   * @param arguments the run's arguments, which name the secret variables but hold none of their values
   * @param startedNanos {@link System#nanoTime()} just before the run that started it
   * @param runMillis how long that run took
   */
  record Started(String name, int port, int hostPort, List<String> arguments, long startedNanos, long runMillis) {
    Started {
      arguments = List.copyOf(arguments);
    }

    ObjectNode toJson() {
      return Json.object().put("name", name).put("port", port).put("hostPort", hostPort);
    }
  }

  private final SmokeOptions options;
  private final StageContext context;
  private final SmokeContainer container;

  ContainerStart(SmokeOptions options, StageContext context, SmokeContainer container) {
    this.options = options;
    this.context = context;
    this.container = container;
  }

  /** NAME to value for {@code secretEnv}; each value is registered for redaction as it is read. */
  static Map<String, String> secretEnvironment(Map<String, String> secretEnv, StageContext context) {
    Map<String, String> values = new TreeMap<>();
    for (Map.Entry<String, String> secret : secretEnv.entrySet()) {
      String value = context.secret(secret.getValue()).orElseThrow(() -> new EnvironmentException(
          "secretEnv " + secret.getKey() + ": environment variable " + secret.getValue() + " is not set"));
      values.put(secret.getKey(), value);
    }
    return values;
  }

  /**
   * Starts {@code runnable} (the image by digest, or a dry run's image id). Another process may take the
   * port between our check and the runtime's bind, so that one failure is retried on a new port.
   */
  Started start(ContainerGuard guard, String runnable, Map<String, String> secrets) throws InterruptedException {
    ContainerRuntime runtime = container.runtime();
    String image = context.output(Outputs.IMAGE).toString();
    for (int attempt = 1; ; attempt++) {
      int hostPort = freeLoopbackPort();
      List<String> arguments = arguments(hostPort, runnable, secrets);
      if (!guard.beginRun()) {
        throw new EnvironmentException("releasegate is shutting down; the container was not started");
      }
      context.progress("starting " + image + " as " + container.name() + " on 127.0.0.1:" + hostPort);
      long mark = System.nanoTime();
      ContainerRuntime.Result run;
      try {
        run = runtime.run(arguments, secrets, RUN_TIMEOUT);
      } finally {
        guard.endRun();
      }
      if (run.ok()) {
        return new Started(container.name(), options.port(), hostPort, arguments, mark, Timing.millisSince(mark));
      }
      if (attempt < PORT_ATTEMPTS && run.stderr().contains("address already in use")) {
        // The failed run may have left a created container under our name.
        runtime.run(runtime.remove(container.name()));
        continue;
      }
      throw new EnvironmentException(runtime.name() + " cannot start " + image + ": " + context.redact(run.error()));
    }
  }

  private List<String> arguments(int hostPort, String runnable, Map<String, String> secrets) {
    ContainerRuntime.Kind kind = container.runtime().kind();
    List<String> arguments = new ArrayList<>(List.of("run", "-d", "--name", container.name()));
    arguments.addAll(ContainerLabels.arguments(context.runId()));
    arguments.add("--pull=never");
    if (kind == ContainerRuntime.Kind.PODMAN) {
      // A dead-man switch: if releasegate is killed (SIGKILL, a lost CI runner), conmon stops the
      // container, so no service of an unreleased image keeps listening. docker has no equivalent.
      long lifetime = options.readyTimeout().plus(options.stopTimeout()).plus(DEAD_MAN_MARGIN).toSeconds();
      arguments.add("--timeout");
      arguments.add(Long.toString(lifetime));
    }
    arguments.addAll(options.hardening().flags(kind));
    arguments.add("-p");
    arguments.add("127.0.0.1:" + hostPort + ":" + options.port());
    new TreeMap<>(options.env()).forEach((name, value) -> {
      arguments.add("--env");
      arguments.add(name + "=" + value);
    });
    secrets.keySet().forEach(name -> {
      arguments.add("--env");
      arguments.add(name);
    });
    arguments.add(runnable);
    return List.copyOf(arguments);
  }

  /** Unique per run and stage, so parallel releases never collide and a leftover names its run. */
  static String containerName(StageContext context) {
    return "releasegate-" + context.stageName() + "-" + context.runId().replaceAll("[^A-Za-z0-9_.-]", "-");
  }

  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new EnvironmentException("cannot find a free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }
}
