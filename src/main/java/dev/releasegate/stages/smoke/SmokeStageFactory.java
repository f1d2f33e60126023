package dev.releasegate.stages.smoke;

import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Problems;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code uses: smoke} — runs the image under release, by digest, in a hardened container, and gates on
 * readiness, startup time, HTTP probes, the revision it reports, a non-root process and a graceful stop.
 */
public final class SmokeStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/smoke/v1";
  static final String DEFAULT_TMPFS = "/tmp:rw,noexec,nosuid,size=64m";
  /** The options that weaken the container's confinement when changed; each change is recorded. */
  static final List<String> HARDENING =
      List.of("readOnly", "tmpfs", "capAdd", "noNewPrivileges", "pidsLimit", "memory", "cpus");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern STATUS = Pattern.compile("[1-5](\\d\\d|xx)");
  private static final Pattern TMPFS = Pattern.compile("/[^\\s:,]*(:[^\\s]+)?");
  private static final Pattern CAPABILITY = Pattern.compile("[A-Za-z_]+");
  private static final Pattern MEMORY = Pattern.compile("[1-9]\\d*[bkmgBKMG]?");
  private static final Pattern CPUS = Pattern.compile("\\d+(\\.\\d+)?");

  static final OptionSchema PROBE_FIELDS =
      OptionSchema.of(
          OptionSpec.string("path", "Path to GET, e.g. /healthz.").required(),
          OptionSpec.string("status", "Expected status: a code such as 200, or a class such as 2xx.").defaultValue("2xx"),
          OptionSpec.string("bodyContains", "Text the body must contain."),
          OptionSpec.string("jsonPath", "JSON Pointer into the body, e.g. /status; a value must be there."),
          OptionSpec.string("equals", "The value at jsonPath, compared as text; needs jsonPath."));

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.string("runtime", "Container runtime; auto looks for podman, then docker, on PATH.")
              .defaultValue("auto").allowed("auto", "podman", "docker"),
          OptionSpec.string("runtimePath", "The runtime's executable, absolute or relative to the project; needs runtime podman or docker."),
          OptionSpec.integer("port", "The port the service listens on inside the container; published on a free loopback port.")
              .defaultValue(8080).range(1, 65_535),
          OptionSpec.stringMap("env", "Environment variables of the container; not secret: their values are recorded."),
          OptionSpec.stringMap("secretEnv", "Secret environment variables of the container: NAME to the host environment variable that holds the value. "
              + "The value never appears on a command line and is redacted everywhere."),
          OptionSpec.string("readyPath", "Readiness path, polled with backoff until it answers 2xx.").defaultValue("/readyz"),
          OptionSpec.integer("readyTimeoutSeconds", "Reject unless the container is ready within this long.")
              .defaultValue(30).range(1, 3600),
          OptionSpec.integer("maxStartupSeconds", "Reject when start to first ready takes longer.").defaultValue(10).range(1, 3600),
          OptionSpec.objectList("probes", "HTTP GET checks once the container is ready; a plain string is a path.", PROBE_FIELDS, "path"),
          OptionSpec.string("versionPath", "Path that answers JSON whose \"revision\" must be this release's git commit; empty to skip the check.")
              .defaultValue("/version"),
          OptionSpec.integer("stopTimeoutSeconds", "Grace after SIGTERM; a container killed after it fails the check.")
              .defaultValue(10).range(1, 600),
          OptionSpec.integer("pullTimeoutSeconds", "Deadline of the image pull.").defaultValue(600).range(1, 86_400),
          OptionSpec.bool("readOnly", "Read-only root file system; false overrides the hardened default.").defaultValue(true),
          OptionSpec.stringList("tmpfs", "Writable tmpfs mounts, PATH[:OPTIONS]; anything but the default is an override.")
              .defaultValue(List.of(DEFAULT_TMPFS)),
          OptionSpec.stringList("capAdd", "Capabilities given back after all are dropped; any is an override.").defaultValue(List.of()),
          OptionSpec.bool("noNewPrivileges", "no-new-privileges; false overrides the hardened default.").defaultValue(true),
          OptionSpec.integer("pidsLimit", "Process limit; 0 means none (an override).").defaultValue(100).range(0, 1_000_000),
          OptionSpec.string("memory", "Memory limit such as 512m or 1g; empty means none (an override).").defaultValue("512m"),
          OptionSpec.string("cpus", "CPU limit such as 1 or 0.5; empty means none (an override).").defaultValue("1"));

  public SmokeStageFactory() {
    super("smoke", StageKind.GATE, "runs the image by digest in a hardened container (podman or docker) and checks readiness, probes, revision, user and graceful stop", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    if (options.findString("runtimePath").isPresent() && options.string("runtime").equals("auto")) {
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
    checkPath(options.string("readyPath"), "readyPath", problems);
    if (!options.string("versionPath").isEmpty()) {
      checkPath(options.string("versionPath"), "versionPath", problems);
    }
    List<StageOptions> probes = options.objectList("probes");
    for (int i = 0; i < probes.size(); i++) {
      StageOptions probe = probes.get(i);
      String at = "probes[" + i + "].";
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
    List<String> tmpfs = options.stringList("tmpfs");
    for (int i = 0; i < tmpfs.size(); i++) {
      if (!TMPFS.matcher(tmpfs.get(i)).matches()) {
        problems.report("tmpfs[" + i + "]", "tmpfs[" + i + "] must be an absolute path with optional :options, e.g. " + DEFAULT_TMPFS);
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

  /** It runs the image from the registry, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  /** The host variables secretEnv names: their values must be redacted before the first stage runs. */
  @Override
  public java.util.Set<String> secretVariables(StageOptions options) {
    return java.util.Set.copyOf(options.stringMap("secretEnv").values());
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new SmokeReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new SmokeStage(options);
  }

  /** The runtime it would use: runtimePath, the named runtime, or with auto the first of podman and docker. */
  @Override
  public List<String> tools(StageOptions options) {
    if (options.findString("runtimePath").isPresent()) {
      return List.of(options.string("runtimePath"));
    }
    return options.string("runtime").equals("auto") ? List.of("podman|docker") : List.of(options.string("runtime"));
  }
}
