package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import dev.releasegate.process.Subprocess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The podman or docker command line: where it is, and the few commands the smoke stage needs, all run
 * through {@link Subprocess} so a hung runtime is stopped with its children. The environment is the
 * run's (so machine settings such as {@code CONTAINERS_CONF} reach podman); nothing here is tied to
 * one machine.
 */
final class ContainerRuntime {
  /** Deadline of quick commands (version, inspect, logs, rm): a runtime that takes longer is broken. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

  enum Kind {
    PODMAN,
    DOCKER;

    String command() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How one runtime command ended. */
  record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr, Duration duration) {
    boolean ok() {
      return !timedOut && exitCode == 0;
    }

    /** The runtime's own explanation: the last non-blank line of stderr, or how it ended. */
    String error() {
      if (timedOut) {
        return "no answer within " + duration.toSeconds() + " s";
      }
      String[] lines = stderr.strip().split("\n");
      String last = lines[lines.length - 1].strip();
      return last.isEmpty() ? "exit " + exitCode : last;
    }
  }

  /** {@code version} output: the client's version and, for a client/server runtime, the engine's. */
  record Version(String client, Optional<String> server, byte[] raw) {}

  private final Kind kind;
  private final Path executable;
  private final Map<String, String> environment;

  ContainerRuntime(Kind kind, Path executable, Map<String, String> environment) {
    this.kind = kind;
    this.executable = executable;
    this.environment = Map.copyOf(environment);
  }

  /**
   * The runtime to use: {@code runtimePath} when given, else {@code runtime} on PATH ({@code auto}:
   * podman, then docker).
   */
  static ContainerRuntime locate(String runtime, Optional<String> runtimePath, Path project, Map<String, String> environment) {
    if (runtimePath.isPresent()) {
      Path path = project.toAbsolutePath().resolve(runtimePath.get()).normalize();
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new EnvironmentException(runtime + " not found at " + path + " (with.runtimePath)");
      }
      return new ContainerRuntime(Kind.valueOf(runtime.toUpperCase(Locale.ROOT)), path, environment);
    }
    List<Kind> candidates = runtime.equals("auto") ? List.of(Kind.PODMAN, Kind.DOCKER) : List.of(Kind.valueOf(runtime.toUpperCase(Locale.ROOT)));
    for (Kind candidate : candidates) {
      Optional<Path> found = Subprocess.findExecutable(candidate.command(), environment);
      if (found.isPresent()) {
        return new ContainerRuntime(candidate, found.get(), environment);
      }
    }
    throw new EnvironmentException(runtime.equals("auto")
        ? "no container runtime found: looked for podman and docker on PATH; install one or set with.runtime and with.runtimePath"
        : runtime + " not found on PATH; install it or set with.runtimePath");
  }

  Kind kind() {
    return kind;
  }

  String name() {
    return kind.command();
  }

  Path executable() {
    return executable;
  }

  /** {@code podman version --format json} / {@code docker version --format '{{json .}}'}. */
  Version version() throws InterruptedException {
    Result result = run(kind == Kind.PODMAN ? List.of("version", "--format", "json") : List.of("version", "--format", "{{json .}}"));
    if (!result.ok()) {
      // docker answers for its client but exits 1 when the engine is unreachable: it cannot run anything.
      throw new EnvironmentException(name() + " version failed: " + result.error());
    }
    byte[] raw = result.stdout().getBytes(StandardCharsets.UTF_8);
    try {
      JsonNode root = Json.parse(raw);
      String client = root.at("/Client/Version").asText("");
      if (client.isEmpty()) {
        throw new IOException("no Client.Version");
      }
      Optional<String> server = Optional.of(root.at("/Server/Version").asText("")).filter(text -> !text.isEmpty());
      return new Version(client, server, raw);
    } catch (IOException e) {
      throw new EnvironmentException("cannot read the output of " + name() + " version: " + e.getMessage(), e);
    }
  }

  List<String> imageInspect(String image) {
    return List.of("image", "inspect", "--format", "{{.Id}}", image);
  }

  /** {@code --tls-verify=false} is podman's; docker decides about plain HTTP in its engine's configuration. */
  List<String> pull(String image, boolean plainHttp) {
    List<String> arguments = new ArrayList<>(List.of("pull", "--quiet"));
    if (plainHttp && kind == Kind.PODMAN) {
      arguments.add("--tls-verify=false");
    }
    arguments.add(image);
    return List.copyOf(arguments);
  }

  List<String> containerInspect(String container) {
    return List.of("container", "inspect", container);
  }

  /**
   * {@code podman top NAME user huser}: podman reads the process table itself (psgo), so it works in
   * images without ps. docker's top runs the host's ps and shows host users; there is none for it.
   */
  Optional<List<String>> top(String container) {
    return kind == Kind.PODMAN ? Optional.of(List.of("top", container, "user", "huser")) : Optional.empty();
  }

  List<String> stop(String container, long seconds) {
    return List.of("stop", "-t", Long.toString(seconds), container);
  }

  List<String> logs(String container) {
    return List.of("logs", container);
  }

  /** The ids of every container, running or not, that carries the label {@code name}. */
  List<String> listLabelled(String name) {
    return List.of("ps", "-a", "-q", "--no-trunc", "--filter", "label=" + name);
  }

  List<String> inspectLabels(List<String> containers) {
    List<String> arguments = new ArrayList<>(List.of("container", "inspect", "--format", "{{.Name}} {{json .Config.Labels}}"));
    arguments.addAll(containers);
    return List.copyOf(arguments);
  }

  List<String> remove(String container) {
    return List.of("rm", "-f", container);
  }

  /** The full command line, for the evidence. */
  List<String> commandLine(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(arguments);
    return command;
  }

  Result run(List<String> arguments) throws InterruptedException {
    return run(arguments, Map.of(), COMMAND_TIMEOUT);
  }

  /** Runs a command with output kept in memory; {@code extraEnvironment} goes to this command only. */
  Result run(List<String> arguments, Map<String, String> extraEnvironment, Duration timeout) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Subprocess.Result result = run(arguments, extraEnvironment, timeout, out, err);
    return new Result(commandLine(arguments), result.exitCode(), result.timedOut(),
        out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), result.duration());
  }

  /** Runs a command with its two output streams going where the caller says. */
  Subprocess.Result run(List<String> arguments, Map<String, String> extraEnvironment, Duration timeout, OutputStream out,
      OutputStream err) throws InterruptedException {
    Map<String, String> env = environment;
    if (!extraEnvironment.isEmpty()) {
      env = new HashMap<>(environment);
      env.putAll(extraEnvironment);
    }
    return Subprocess.of(commandLine(arguments)).environment(env).timeout(timeout).stdout(out).stderr(err).run();
  }
}
