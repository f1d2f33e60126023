package dev.releasegate.stages.smoke;

import dev.releasegate.spi.Problems;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The smoke stage's options, read once: which runtime, how the container is run and confined, and what
 * it must answer.
 *
 * @param runtimePath set only with runtime podman or docker
 * @param env in the order given; not secret, so recorded
 * @param secretEnv container variable to the host variable that holds its value, in the order given
 * @param versionPath empty when the revision is not checked
 */
record SmokeOptions(
    String runtime,
    Optional<String> runtimePath,
    int port,
    Map<String, String> env,
    Map<String, String> secretEnv,
    String readyPath,
    Duration readyTimeout,
    Duration maxStartup,
    List<Probe> probes,
    Optional<String> versionPath,
    Duration stopTimeout,
    Duration pullTimeout,
    Hardening hardening) {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern STATUS = Pattern.compile("[1-5](\\d\\d|xx)");
  private static final Pattern TMPFS = Pattern.compile("/[^\\s:,]*(:[^\\s]+)?");
  private static final Pattern CAPABILITY = Pattern.compile("[A-Za-z_]+");
  private static final Pattern MEMORY = Pattern.compile("[1-9]\\d*[bkmgBKMG]?");
  private static final Pattern CPUS = Pattern.compile("\\d+(\\.\\d+)?");

  SmokeOptions {
    Objects.requireNonNull(runtime, "runtime");
    if (runtimePath.isPresent() && runtime.equals("auto")) {
      throw new IllegalArgumentException("runtimePath needs runtime podman or docker");
    }
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    secretEnv = Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
    Objects.requireNonNull(readyPath, "readyPath");
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    Objects.requireNonNull(maxStartup, "maxStartup");
    probes = List.copyOf(probes);
    Objects.requireNonNull(versionPath, "versionPath");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(pullTimeout, "pullTimeout");
    Objects.requireNonNull(hardening, "hardening");
  }

  static SmokeOptions from(StageOptions options) {
    return OptionProblems.valid(options, SmokeOptions::read);
  }

  /** Reads the options and reports, in a stable order, bad env names, paths, probes and hardening values. */
  static Optional<SmokeOptions> read(StageOptions options, OptionProblems problems) {
    Optional<String> runtimePath = options.findString("runtimePath");
    String runtime = options.string("runtime");
    if (runtimePath.isPresent() && runtime.equals("auto")) {
      problems.report("runtimePath", "runtimePath needs runtime: podman or docker, which says what command line it speaks");
    }
    // Sorted, so that problems come in the same order on every run.
    Map<String, String> env = new TreeMap<>(options.stringMap("env"));
    env.keySet().stream().filter(name -> !ENV_NAME.matcher(name).matches()).forEach(name ->
        problems.report("env", "env name '" + name + "' must be letters, digits and '_', not starting with a digit"));
    for (Map.Entry<String, String> secret : new TreeMap<>(options.stringMap("secretEnv")).entrySet()) {
      if (!ENV_NAME.matcher(secret.getKey()).matches()) {
        problems.report("secretEnv", "secretEnv name '" + secret.getKey() + "' must be letters, digits and '_', not starting with a digit");
      }
      if (!ENV_NAME.matcher(secret.getValue()).matches()) {
        problems.report("secretEnv", "secretEnv " + secret.getKey() + " must name a host environment variable, got '" + secret.getValue() + "'");
      }
      if (env.containsKey(secret.getKey())) {
        problems.report("secretEnv", "secretEnv " + secret.getKey() + " is also set in env; set it in one of them");
      }
    }
    String readyPath = options.string("readyPath");
    checkPath(readyPath, "readyPath", problems);
    Optional<String> versionPath = Optional.of(options.string("versionPath")).filter(path -> !path.isEmpty());
    versionPath.ifPresent(path -> checkPath(path, "versionPath", problems));
    List<StageOptions> probes = options.objectList("probes");
    for (int i = 0; i < probes.size(); i++) {
      checkProbe(probes.get(i), "probes[" + i + "].", problems);
    }
    checkHardening(options, problems);
    return problems.result(() -> new SmokeOptions(runtime, runtimePath, Math.toIntExact(options.integer("port")),
        options.stringMap("env"), options.stringMap("secretEnv"), readyPath, seconds(options, "readyTimeoutSeconds"),
        seconds(options, "maxStartupSeconds"), probes.stream().map(Probe::of).toList(), versionPath,
        seconds(options, "stopTimeoutSeconds"), seconds(options, "pullTimeoutSeconds"), Hardening.of(options)));
  }

  private static Duration seconds(StageOptions options, String name) {
    return Duration.ofSeconds(options.integer(name));
  }

  private static void checkProbe(StageOptions probe, String at, Problems problems) {
    if (probe.has("path")) {
      checkPath(probe.string("path"), at + "path", problems);
    }
    if (!STATUS.matcher(probe.string("status")).matches()) {
      problems.report(at + "status", at + "status must be a status code such as 200 or a class such as 2xx, got '" + probe.string("status") + "'");
    }
    if (probe.findString("jsonPath").filter(pointer -> !pointer.startsWith("/")).isPresent()) {
      problems.report(at + "jsonPath", at + "jsonPath must be a JSON Pointer such as /status");
    }
    if (probe.has("equals") && !probe.has("jsonPath")) {
      problems.report(at + "equals", at + "equals needs jsonPath, the value it compares");
    }
  }

  private static void checkHardening(StageOptions options, OptionProblems problems) {
    List<String> tmpfs = options.stringList("tmpfs");
    for (int i = 0; i < tmpfs.size(); i++) {
      if (!TMPFS.matcher(tmpfs.get(i)).matches()) {
        problems.report("tmpfs[" + i + "]", "tmpfs[" + i + "] must be an absolute path with optional :options, e.g. " + SmokeStageFactory.DEFAULT_TMPFS);
      }
    }
    List<String> capabilities = options.stringList("capAdd");
    for (int i = 0; i < capabilities.size(); i++) {
      if (!CAPABILITY.matcher(capabilities.get(i)).matches()) {
        problems.report("capAdd[" + i + "]", "capAdd[" + i + "] must be a capability name such as NET_BIND_SERVICE");
      }
    }
    String memory = options.string("memory");
    if (!memory.isEmpty() && !MEMORY.matcher(memory).matches()) {
      problems.report("memory", "memory must be a size such as 512m or 1g, or empty for no limit");
    }
    String cpus = options.string("cpus");
    if (!cpus.isEmpty() && (!CPUS.matcher(cpus).matches() || Double.parseDouble(cpus) <= 0)) {
      problems.report("cpus", "cpus must be a positive number such as 1 or 0.5, or empty for no limit");
    }
  }

  /** A path the stage GETs on the loopback address: absolute, and a valid URI path with an optional query. */
  private static void checkPath(String path, String option, Problems problems) {
    boolean valid = path.startsWith("/") && !path.startsWith("//");
    if (valid) {
      try {
        URI uri = URI.create("http://127.0.0.1" + path);
        valid = uri.getRawFragment() == null;
      } catch (IllegalArgumentException e) {
        valid = false;
      }
    }
    if (!valid) {
      problems.report(option, option + " must be a path such as /healthz, got '" + path + "'");
    }
  }

  /** The runtime it would use: runtimePath, the named runtime, or with auto the first of podman and docker. */
  List<String> tools() {
    if (runtimePath.isPresent()) {
      return List.of(runtimePath.get());
    }
    return runtime.equals("auto") ? List.of("podman|docker") : List.of(runtime);
  }
}
