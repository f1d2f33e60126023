package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.image.OciLayout;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/** One smoke run: the container started by digest, hardened, probed, measured, stopped and removed. */
final class SmokeSession {
  private static final Duration POLL_FIRST = Duration.ofMillis(25);
  private static final Duration POLL_MAX = Duration.ofMillis(250);
  private static final Duration POLL_REQUEST = Duration.ofSeconds(2);
  private static final Duration PROBE_REQUEST = Duration.ofSeconds(10);
  /** While nothing answers, how often the runtime is asked whether the container still runs. */
  private static final Duration STATE_EVERY = Duration.ofSeconds(1);
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
  private static final int PORT_ATTEMPTS = 3;
  private static final int EXCERPT_CHARS = 200;
  static final String RUN_LABEL = "dev.releasegate.run";
  /** {@code PID@START}: the releasegate process that started the container, so that a leftover is told from a live release's. */
  static final String OWNER_LABEL = "dev.releasegate.owner";
  /** Beyond the stage's own waits, how long a container may live before the runtime kills it, should releasegate be killed. */
  private static final Duration DEAD_MAN_MARGIN = Duration.ofMinutes(5);
  /** Probe answers are small; a service streaming megabytes is not read to its end. */
  private static final int MAX_BODY = 1 << 20;

  private final SmokeOptions options;
  private final StageContext context;
  private final long begun = System.nanoTime();
  private final Instant startedOn;
  private final ImageReference image;
  private final Hardening hardening;
  /** Added to from the background threads too. */
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final List<SmokeCheck> checks = new ArrayList<>();
  private final ObjectNode timing = Json.object();
  private final String container;
  private ContainerRuntime runtime;
  private Map<String, String> secrets;
  private int hostPort;
  /** What the runtime runs: the image by digest, or in a dry run the id of the image loaded from its layout. */
  private String runnable;
  private List<String> runArguments = List.of();

  SmokeSession(SmokeOptions options, StageContext context) {
    this.options = options;
    this.hardening = options.hardening();
    this.context = context;
    this.startedOn = context.clock().instant();
    this.image = context.output(Outputs.IMAGE);
    this.runnable = image.toString();
    this.container = containerName(context);
  }

  StageResult run() throws InterruptedException {
    secrets = secretEnvironment();
    runtime = ContainerRuntime.locate(options.runtime(), options.runtimePath(),
        context.projectDirectory(), context.environment());
    hardening.overrides().forEach(override -> warnings.add(override.describe()));
    // Every runtime call takes 50 ms or more; calls that do not depend on each other overlap.
    ExecutorService background = Executors.newFixedThreadPool(2, task -> {
      Thread thread = new Thread(task, "releasegate-smoke");
      thread.setDaemon(true);
      return thread;
    });
    try {
      return run(background);
    } catch (IOException e) {
      throw new EnvironmentException("smoke stage cannot write its evidence: " + e.getMessage(), e);
    } finally {
      background.shutdownNow();
    }
  }

  private StageResult run(ExecutorService background) throws IOException, InterruptedException {
    // The version is only recorded, so it is asked for beside the work that starts the container.
    Future<ContainerRuntime.Version> asked = background.submit(runtime::version);
    boolean pulled;
    try {
      Optional<Path> layout = context.findOutput(Outputs.IMAGE_LAYOUT);
      if (layout.isPresent()) {
        pulled = true;
        runnable = pullLayout(layout.get());
      } else {
        pulled = !runtime.run(runtime.imageInspect(image.toString())).ok();
        if (pulled) {
          pull();
        } else {
          timing.put("pullMs", 0);
        }
      }
    } catch (EnvironmentException e) {
      // A runtime that cannot even say its version explains the failure better than the pull does.
      await(asked);
      throw e;
    }

    removeLeftovers();
    ObjectNode containerFacts = Json.object();
    ObjectNode logs;
    ContainerRuntime.Version version;
    try (ContainerGuard guard = ContainerGuard.install(runtime, container)) {
      long started;
      try {
        started = start(guard, containerFacts);
      } catch (EnvironmentException e) {
        await(asked);
        throw e;
      }
      version = await(asked);
      // Who the process runs as is measured while the service starts, so it costs no waiting.
      Future<UserFacts> user = background.submit(this::measureUser);
      Readiness readiness = awaitReady(started, background);
      timing.put("startupMs", readiness.millis());
      checks.add(readinessCheck(readiness));
      checks.add(startupCheck(readiness));

      long mark = System.nanoTime();
      for (Probe probe : options.probes()) {
        checks.add(readiness.ready() ? probe(probe) : SmokeCheck.notRun("probe " + probe.path(), probe.expected(), "the container never became ready"));
      }
      options.versionPath().ifPresent(versionPath -> checks.add(readiness.ready() ? versionCheck(versionPath)
          : SmokeCheck.notRun("version", "revision " + context.git().commit() + " from " + versionPath, "the container never became ready")));
      UserFacts facts = await(user);
      containerFacts.put("id", facts.id());
      checks.add(nonRootCheck(facts));
      timing.put("checksMs", millisSince(mark));

      long stopMillis = stop();
      // The exit code and the logs are both read after the stop; neither needs the other.
      mark = System.nanoTime();
      Future<ObjectNode> collected = background.submit(this::collectLogs);
      JsonNode state = inspect().path("State");
      logs = await(collected);
      timing.put("afterStopMs", millisSince(mark));
      checks.add(stopCheck(readiness, stopMillis, state));

      context.progress("removing " + container);
      guard.remove();
      timing.put("removeMs", guard.removeMs());
    }
    Artifact versionReport = context.artifacts().write("runtime-version.json", version.raw());
    return result(version, versionReport, pulled, containerFacts, logs);
  }

  /** NAME to value for {@code secretEnv}; each value is registered for redaction as it is read. */
  private Map<String, String> secretEnvironment() {
    Map<String, String> values = new TreeMap<>();
    for (Map.Entry<String, String> secret : options.secretEnv().entrySet()) {
      String value = context.secret(secret.getValue()).orElseThrow(() -> new EnvironmentException(
          "secretEnv " + secret.getKey() + ": environment variable " + secret.getValue() + " is not set"));
      values.put(secret.getKey(), value);
    }
    return values;
  }

  /** Pulls the image the runtime does not have yet; a digest names immutable content, so a local copy is the same bytes. */
  private void pull() throws InterruptedException {
    String reference = image.toString();
    long mark = System.nanoTime();
    context.progress("pulling " + reference);
    Duration timeout = options.pullTimeout();
    ContainerRuntime.Result pull = runtime.run(runtime.pull(reference, plainHttp()), Map.of(), timeout);
    if (pull.timedOut()) {
      throw new EnvironmentException(runtime.name() + " did not pull " + reference + " within " + timeout.toSeconds() + " s");
    }
    if (!pull.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot pull " + reference + ": " + context.redact(pull.error()));
    }
    timing.put("pullMs", millisSince(mark));
  }

  /**
   * A dry run's image, from the OCI layout it was kept in (podman's {@code oci:} transport; docker
   * has none): the image id podman gives it, checked to be the config the layout holds under our digest.
   */
  private String pullLayout(Path layout) throws InterruptedException {
    if (runtime.kind() != ContainerRuntime.Kind.PODMAN) {
      throw new EnvironmentException("a dry run keeps the image in an OCI layout, which " + runtime.name()
          + " cannot run; smoke-test dry runs with podman (with: {runtime: podman})");
    }
    long mark = System.nanoTime();
    context.progress("loading " + image + " from " + layout);
    Duration timeout = options.pullTimeout();
    // podman names an image pulled from a layout after the layout's path, which must then be a valid
    // lowercase repository name; a link of such a name, made for the pull, stands in for any path.
    Path link = Path.of(System.getProperty("java.io.tmpdir"), "releasegate-oci-" + context.runId().toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9-]", "-") + "-" + context.stageName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
    if (!link.toAbsolutePath().toString().matches("/[a-z0-9._/-]+")) {
      throw new EnvironmentException("podman cannot name an image pulled from " + link + "; set java.io.tmpdir (TMPDIR) to a lowercase path");
    }
    ContainerRuntime.Result pull;
    try {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, layout.toAbsolutePath());
      pull = runtime.run(runtime.pull("oci:" + link.toAbsolutePath(), false), Map.of(), timeout);
    } catch (IOException e) {
      throw new EnvironmentException("cannot link " + layout + " for podman at " + link + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(link);
      } catch (IOException ignored) {
        // A dangling link in the temp folder; the next dry run of this name replaces it.
      }
    }
    if (pull.timedOut() || !pull.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot load " + image + " from " + layout + ": "
          + (pull.timedOut() ? "no answer within " + timeout.toSeconds() + " s" : context.redact(pull.error())));
    }
    String id = pull.stdout().strip();
    String config = OciLayout.open(layout).configDigest(image.digest());
    if (!config.equals("sha256:" + id)) {
      throw new EnvironmentException(runtime.name() + " loaded image " + id + " from " + layout + ", not the config " + config + " of " + image);
    }
    timing.put("pullMs", millisSince(mark));
    return id;
  }

  /**
   * Removes the containers an earlier smoke run left behind because its releasegate was killed
   * before it could: those whose owner process is gone. A live release's containers are left alone.
   */
  private void removeLeftovers() throws InterruptedException {
    ContainerRuntime.Result listed = runtime.run(runtime.listLabelled(OWNER_LABEL));
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
      String owner = labels.path(OWNER_LABEL).asText("");
      if (ownerAlive(owner)) {
        continue;
      }
      ContainerRuntime.Result removed = runtime.run(runtime.remove(name));
      if (removed.ok()) {
        warnings.add("removed container " + name + ", left running by an earlier release (run " + labels.path(RUN_LABEL).asText("?")
            + ") that was stopped before it could remove it");
      } else {
        warnings.add("cannot remove container " + name + ", left by an earlier release: " + context.redact(removed.error()));
      }
    }
  }

  /** Plain HTTP only when asked for and only for a loopback registry. */
  private boolean plainHttp() {
    if (!context.image().insecureRegistry()) {
      return false;
    }
    String host = RegistryAccess.hostOf(image.repository());
    if (RegistryAccess.isLoopback(host)) {
      return true;
    }
    warnings.add("--insecure-registry is not passed to " + runtime.name() + " for " + host + ": only loopback registries are pulled without TLS");
    return false;
  }

  /**
   * {@code run -d} on a free loopback port; returns {@link System#nanoTime()} just before the run
   * that started it. Another process may take the port between our check and the runtime's bind,
   * so that one failure is retried on a new port.
   */
  private long start(ContainerGuard guard, ObjectNode facts) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      hostPort = freeLoopbackPort();
      runArguments = runArguments();
      if (!guard.beginRun()) {
        throw new EnvironmentException("releasegate is shutting down; the container was not started");
      }
      context.progress("starting " + image + " as " + container + " on 127.0.0.1:" + hostPort);
      long mark = System.nanoTime();
      ContainerRuntime.Result run;
      try {
        // Secret values reach the runtime through its environment only; the arguments name them.
        run = runtime.run(runArguments, secrets, RUN_TIMEOUT);
      } finally {
        guard.endRun();
      }
      if (run.ok()) {
        timing.put("runMs", millisSince(mark));
        facts.put("name", container);
        facts.put("port", options.port());
        facts.put("hostPort", hostPort);
        return mark;
      }
      if (attempt < PORT_ATTEMPTS && run.stderr().contains("address already in use")) {
        // The failed run may have left a created container under our name.
        runtime.run(runtime.remove(container));
        continue;
      }
      throw new EnvironmentException(runtime.name() + " cannot start " + image + ": " + context.redact(run.error()));
    }
  }

  private List<String> runArguments() {
    List<String> arguments = new ArrayList<>(List.of("run", "-d", "--name", container,
        "--label", RUN_LABEL + "=" + context.runId(), "--label", OWNER_LABEL + "=" + owner(ProcessHandle.current()).orElse("unknown"),
        "--pull=never"));
    if (runtime.kind() == ContainerRuntime.Kind.PODMAN) {
      // A dead-man switch: if releasegate is killed (SIGKILL, a lost CI runner), conmon stops the
      // container, so no service of an unreleased image keeps listening. docker has no equivalent.
      long lifetime = options.readyTimeout().plus(options.stopTimeout()).plus(DEAD_MAN_MARGIN).toSeconds();
      arguments.add("--timeout");
      arguments.add(Long.toString(lifetime));
    }
    arguments.addAll(hardening.flags(runtime.kind()));
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

  /**
   * How waiting for readiness ended.
   *
   * @param exited the container ended on its own before it was ready
   */
  private record Readiness(boolean ready, boolean exited, long millis, int polls, String measured) {}

  /**
   * Polls the readiness path with backoff until 2xx, the deadline, or the container's exit. While
   * nothing answers, the runtime is asked in the background whether the container still runs, so
   * that a crash ends the wait early without slowing the polls.
   */
  private Readiness awaitReady(long started, ExecutorService background) throws InterruptedException {
    String path = options.readyPath();
    long timeoutSeconds = options.readyTimeout().toSeconds();
    long deadline = started + options.readyTimeout().toNanos();
    context.progress("waiting for " + path + " (at most " + timeoutSeconds + " s)");
    long delay = POLL_FIRST.toNanos();
    long lastStateCheck = System.nanoTime();
    Future<JsonNode> state = null;
    int polls = 0;
    String last = "no answer";
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        polls++;
        try {
          Answer answer = get(path, Duration.ofNanos(Math.min(left, POLL_REQUEST.toNanos())));
          if (answer.status() / 100 == 2) {
            long millis = millisSince(started);
            return new Readiness(true, false, millis, polls, "ready after " + SmokeCheck.seconds(millis));
          }
          last = "last answer " + answer.status();
        } catch (IOException e) {
          last = "no answer (" + describe(e) + ")";
          if (state == null && System.nanoTime() - lastStateCheck >= STATE_EVERY.toNanos()) {
            state = background.submit(this::inspect);
          }
        }
        if (state != null && state.isDone()) {
          JsonNode current = await(state).path("State");
          state = null;
          lastStateCheck = System.nanoTime();
          if (!current.path("Running").asBoolean(false)) {
            long millis = millisSince(started);
            return new Readiness(false, true, millis, polls,
                "container exited with " + current.path("ExitCode").asInt() + " after " + SmokeCheck.seconds(millis) + ", before it was ready");
          }
        }
        long sleep = Math.min(delay, deadline - System.nanoTime());
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        delay = Math.min(delay * 3 / 2, POLL_MAX.toNanos());
      }
    } finally {
      if (state != null) {
        state.cancel(true);
      }
    }
    return new Readiness(false, false, millisSince(started), polls, "not ready within " + timeoutSeconds + " s: " + last);
  }

  private SmokeCheck readinessCheck(Readiness readiness) {
    long limit = options.readyTimeout().toSeconds();
    ObjectNode facts = Json.object().put("path", options.readyPath()).put("valueMs", readiness.millis())
        .put("limitMs", limit * 1000).put("polls", readiness.polls());
    return SmokeCheck.of("readiness", readiness.ready(), "2xx from " + options.readyPath() + " within " + limit + " s",
        readiness.measured(), facts);
  }

  private SmokeCheck startupCheck(Readiness readiness) {
    long limit = options.maxStartup().toSeconds();
    ObjectNode facts = Json.object().put("valueMs", readiness.millis()).put("limitMs", limit * 1000);
    String expected = "start to first ready within " + limit + " s";
    if (!readiness.ready()) {
      return SmokeCheck.of("startup", false, expected, "never ready", facts);
    }
    return SmokeCheck.of("startup", readiness.millis() <= limit * 1000, expected, SmokeCheck.seconds(readiness.millis()), facts);
  }

  private SmokeCheck probe(Probe probe) {
    String name = "probe " + probe.path();
    ObjectNode facts = Json.object().put("path", probe.path());
    Answer answer;
    try {
      answer = get(probe.path(), PROBE_REQUEST);
    } catch (IOException e) {
      return SmokeCheck.of(name, false, probe.expected(), "no answer (" + describe(e) + ")", facts);
    }
    facts.put("status", answer.status()).put("durationMs", answer.millis());
    List<String> problems = probe.mismatches(answer.status(), answer.body());
    String measured = answer.status() + " in " + answer.millis() + " ms";
    if (!problems.isEmpty()) {
      measured += ": " + String.join("; ", problems);
      facts.put("bodyExcerpt", excerpt(answer.body()));
    }
    return SmokeCheck.of(name, problems.isEmpty(), probe.expected(), measured, facts);
  }

  /** The service must report the commit this release is made from (an abbreviation of 7 or more digits counts). */
  private SmokeCheck versionCheck(String path) {
    String commit = context.git().commit();
    String expected = "revision " + commit + " from " + path;
    ObjectNode facts = Json.object().put("path", path).put("expectedRevision", commit);
    Answer answer;
    try {
      answer = get(path, PROBE_REQUEST);
    } catch (IOException e) {
      return SmokeCheck.of("version", false, expected, "no answer (" + describe(e) + ")", facts);
    }
    facts.put("status", answer.status());
    if (answer.status() / 100 != 2) {
      facts.put("bodyExcerpt", excerpt(answer.body()));
      return SmokeCheck.of("version", false, expected, "status " + answer.status(), facts);
    }
    JsonNode body;
    try {
      body = Json.parse(answer.body());
    } catch (IOException e) {
      facts.put("bodyExcerpt", excerpt(answer.body()));
      return SmokeCheck.of("version", false, expected, "body is not JSON", facts);
    }
    JsonNode revision = body.path("revision");
    if (!revision.isTextual()) {
      facts.put("bodyExcerpt", excerpt(answer.body()));
      return SmokeCheck.of("version", false, expected, "no \"revision\" in the answer", facts);
    }
    String reported = revision.textValue();
    facts.put("revision", context.redact(reported));
    JsonNode version = body.path("version");
    if (version.isTextual()) {
      facts.put("version", context.redact(version.textValue()));
      if (!version.textValue().equals(context.version())) {
        warnings.add(path + " reports version '" + version.textValue() + "', the release is '" + context.version() + "'");
      }
    }
    boolean matches = reported.equals(commit) || (reported.length() >= 7 && commit.startsWith(reported));
    return SmokeCheck.of("version", matches, expected, "revision " + reported, facts);
  }

  /** What the runtime and the kernel say about the container's main process. */
  private record UserFacts(String id, String configuredUser, long pid, Optional<ProcessUser.ProcStatus> proc,
      Optional<String> topUser) {}

  private UserFacts measureUser() throws InterruptedException {
    JsonNode inspect = inspect();
    long pid = inspect.at("/State/Pid").asLong(0);
    Optional<ProcessUser.ProcStatus> proc = ProcessUser.read(pid);
    Optional<String> topUser = Optional.empty();
    Optional<List<String>> top = runtime.top(container);
    if (top.isPresent()) {
      ContainerRuntime.Result result = runtime.run(top.get());
      topUser = result.ok() ? ProcessUser.parseTop(result.stdout()) : Optional.empty();
    }
    return new UserFacts(inspect.path("Id").asText(""), inspect.at("/Config/User").asText(""), pid, proc, topUser);
  }

  /**
   * The effective uid from {@code /proc/PID/status} when the process is on this host, else the user
   * {@code podman top} reads from the process table, else (not measured) the configured user.
   */
  private SmokeCheck nonRootCheck(UserFacts user) {
    String expected = "effective uid not 0";
    ObjectNode facts = Json.object().put("configuredUser", user.configuredUser());
    user.topUser().ifPresent(name -> facts.put("topUser", name));
    if (user.proc().isPresent()) {
      ProcessUser.ProcStatus proc = user.proc().get();
      facts.put("source", "/proc/" + user.pid() + "/status").put("uid", proc.uid()).put("hostUid", proc.hostUid())
          .put("capEff", proc.capEff()).put("noNewPrivs", proc.noNewPrivs());
      String measured = "uid " + proc.uid() + user.topUser().map(name -> " (" + name + ")").orElse("");
      return SmokeCheck.of("nonRoot", proc.uid() != 0, expected, measured, facts);
    }
    if (user.topUser().isPresent()) {
      String name = user.topUser().get();
      facts.put("source", runtime.name() + " top");
      return SmokeCheck.of("nonRoot", !ProcessUser.isRoot(name), expected, "user " + name, facts);
    }
    facts.put("source", "Config.User");
    warnings.add("the container's process could not be measured; nonRoot relies on the configured user '" + user.configuredUser() + "'");
    return SmokeCheck.of("nonRoot", !ProcessUser.isRoot(user.configuredUser()), expected,
        "configured user '" + user.configuredUser() + "' (process not measured)", facts);
  }

  /** {@code stop -t N}: SIGTERM, then SIGKILL after N seconds; returns how long it took, in ms. */
  private long stop() throws InterruptedException {
    long limit = options.stopTimeout().toSeconds();
    context.progress("stopping " + container + " (at most " + limit + " s)");
    long mark = System.nanoTime();
    ContainerRuntime.Result stop = runtime.run(runtime.stop(container, limit), Map.of(), Duration.ofSeconds(limit).plus(RUN_TIMEOUT));
    long millis = millisSince(mark);
    timing.put("stopMs", millis);
    if (!stop.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot stop " + container + ": " + context.redact(stop.error()));
    }
    return millis;
  }

  /** Only an exit of the service's own after SIGTERM (0, or 143 for the signal) passes; a kill (137) fails. */
  private SmokeCheck stopCheck(Readiness readiness, long millis, JsonNode state) {
    long limit = options.stopTimeout().toSeconds();
    String expected = "exit 0 or 143 within " + limit + " s of SIGTERM";
    int exitCode = state.path("ExitCode").asInt(-1);
    boolean oomKilled = state.path("OOMKilled").asBoolean(false);
    ObjectNode facts = Json.object().put("exitCode", exitCode).put("durationMs", millis).put("limitMs", limit * 1000)
        .put("oomKilled", oomKilled);
    if (state.path("Running").asBoolean(false)) {
      return SmokeCheck.of("gracefulStop", false, expected, "still running after " + runtime.name() + " stop", facts);
    }
    if (readiness.exited()) {
      return SmokeCheck.of("gracefulStop", false, expected, "had exited with " + exitCode + " before SIGTERM", facts);
    }
    if (exitCode == 137 || oomKilled) {
      return SmokeCheck.of("gracefulStop", false, expected, "killed (exit " + exitCode + ") after " + SmokeCheck.seconds(millis)
          + (oomKilled ? ": out of memory" : ": still running " + limit + " s after SIGTERM"), facts);
    }
    return SmokeCheck.of("gracefulStop", exitCode == 0 || exitCode == 143, expected,
        "exit " + exitCode + " after " + SmokeCheck.seconds(millis), facts);
  }

  /** {@code logs} after the stop, so that shutdown lines are in; stdout and stderr stay apart. */
  private ObjectNode collectLogs() throws IOException, InterruptedException {
    ObjectNode node = Json.object();
    LogStream out = new LogStream("stdout", context.artifacts().directory().resolve("stdout.log"), context::redact);
    LogStream err = new LogStream("stderr", context.artifacts().directory().resolve("stderr.log"), context::redact);
    var result = runtime.run(runtime.logs(container), Map.of(), ContainerRuntime.COMMAND_TIMEOUT, out.sink(), err.sink());
    out.close();
    err.close();
    if (result.timedOut() || result.exitCode() != 0) {
      warnings.add(runtime.name() + " logs " + (result.timedOut() ? "timed out" : "exited with " + result.exitCode())
          + "; the container's logs may be incomplete");
    }
    int lines = 0;
    int nonJson = 0;
    String first = null;
    for (LogStream stream : List.of(out, err)) {
      Artifact artifact = context.artifacts().describe(context.artifacts().directory().resolve(stream.name() + ".log"));
      node.set(stream.name(), artifact.descriptor().put("lines", stream.lines()).put("nonJsonLines", stream.nonJson()));
      lines += stream.lines();
      nonJson += stream.nonJson();
      if (first == null && stream.nonJson() > 0) {
        first = stream.name() + " line " + stream.firstNonJson();
      }
    }
    if (nonJson > 0) {
      warnings.add(nonJson + " of " + lines + " container log lines are not JSON (first: " + first + ")");
    }
    return node;
  }

  private StageResult result(ContainerRuntime.Version version, Artifact versionReport, boolean pulled, ObjectNode containerFacts,
      ObjectNode logs) {
    ObjectNode predicate = Json.object();
    predicate.put("image", image.toString());
    ObjectNode runtimeNode = predicate.putObject("runtime").put("name", runtime.name())
        .put("path", runtime.executable().toString()).put("version", version.client());
    version.server().ifPresent(server -> runtimeNode.put("serverVersion", server));
    runtimeNode.set("report", versionReport.descriptor());
    predicate.put("pulled", pulled);
    predicate.set("container", containerFacts);
    ArrayNode arguments = predicate.putArray("arguments");
    runtime.commandLine(runArguments).forEach(argument -> arguments.add(context.redact(argument)));
    predicate.set("hardening", hardening.toJson());
    predicate.set("overrides", hardening.overridesJson());
    ObjectNode env = predicate.putObject("env");
    new TreeMap<>(options.env()).forEach((name, value) -> env.put(name, context.redact(value)));
    ObjectNode secretEnv = predicate.putObject("secretEnv");
    new TreeMap<>(options.secretEnv()).forEach((name, variable) -> secretEnv.put(name, "from " + variable));
    ArrayNode checkList = predicate.putArray("checks");
    checks.forEach(check -> checkList.add(redacted(check.toJson())));
    predicate.set("logs", logs);
    long total = millisSince(begun);
    long startup = timing.path("startupMs").asLong();
    timing.put("totalMs", total);
    // What the stage adds to the container's own start-to-ready time; and what is left of that after
    // the service's own stop (its drain plus the runtime's teardown) and a first pull.
    timing.put("beyondStartupMs", total - startup);
    timing.put("overheadMs", total - startup - timing.path("stopMs").asLong() - timing.path("pullMs").asLong());
    predicate.set("timing", timing);
    predicate.put("startedOn", startedOn.toString());
    predicate.put("finishedOn", context.clock().instant().toString());

    List<SmokeCheck> failed = checks.stream().filter(SmokeCheck::failed).toList();
    long notRun = checks.stream().filter(check -> check.result() == SmokeCheck.Result.NOT_RUN).count();
    StageResult.Builder builder;
    if (failed.isEmpty()) {
      builder = StageResult.passed("all " + checks.size() + " checks passed ("
          + checks.get(0).measured() + ", " + checks.get(checks.size() - 1).measured() + ")");
    } else {
      builder = StageResult.rejected(failed.size() + " of " + checks.size() + " checks failed"
          + (notRun > 0 ? ", " + notRun + " not run" : "") + ": "
          + failed.stream().map(check -> check.name() + " (" + check.measured() + ")").collect(Collectors.joining(", ")));
      failed.forEach(check -> builder.detail(check.name() + ": expected " + check.expected() + ", measured " + check.measured()));
    }
    warnings.forEach(builder::warning);
    return builder.predicate(predicate).build();
  }

  private ObjectNode redacted(ObjectNode node) {
    try {
      return (ObjectNode) Json.parse(context.redact(new String(Json.compact(node), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("redaction broke the JSON of a check", e);
    }
  }

  /** The first element of {@code container inspect}; the runtime failing here means it lost the container. */
  private JsonNode inspect() throws InterruptedException {
    ContainerRuntime.Result result = runtime.run(runtime.containerInspect(container));
    if (!result.ok()) {
      throw new EnvironmentException(runtime.name() + " cannot inspect " + container + ": " + context.redact(result.error()));
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

  /** One answer to a GET. */
  private record Answer(int status, byte[] body, long millis) {}

  /**
   * One GET on a connection of its own, as kubelet probes do: reusing a keep-alive connection to the
   * JDK's HttpServer costs some 40 ms per request in delayed ACKs, more than the request itself.
   */
  private Answer get(String path, Duration timeout) throws IOException {
    long mark = System.nanoTime();
    HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + hostPort + path).toURL()
        .openConnection(Proxy.NO_PROXY);
    try {
      int millis = (int) Math.max(1, timeout.toMillis());
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("Connection", "close");
      int status = connection.getResponseCode();
      byte[] body;
      try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        body = in == null ? new byte[0] : in.readNBytes(MAX_BODY);
      }
      return new Answer(status, body, millisSince(mark));
    } finally {
      connection.disconnect();
    }
  }

  private String excerpt(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return context.redact(text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "…" : text);
  }

  private static <T> T await(Future<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (e.getCause() instanceof IOException io) {
        throw new EnvironmentException("smoke stage cannot write its evidence: " + io.getMessage(), io);
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** True when {@code owner} ({@code PID@START}) names a process that still runs; unknown owners are alive, to be safe. */
  static boolean ownerAlive(String owner) {
    int at = owner.indexOf('@');
    if (at < 0) {
      return true;
    }
    try {
      long pid = Long.parseLong(owner.substring(0, at));
      return ProcessHandle.of(pid).flatMap(SmokeSession::owner).map(owner::equals).orElse(false);
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** {@code PID@START} of a live process, as the owner label holds it. */
  static Optional<String> owner(ProcessHandle process) {
    return process.info().startInstant().map(start -> process.pid() + "@" + start.toEpochMilli());
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

  private static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }
}
