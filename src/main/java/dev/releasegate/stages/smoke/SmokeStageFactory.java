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
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    SmokeOptions.read(options, new OptionProblems(problems));
  }

  /** It runs the image from the registry, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  /** The host variables secretEnv names: their values must be redacted before the first stage runs. */
  @Override
  public java.util.Set<String> secretVariables(StageOptions options) {
    return java.util.Set.copyOf(SmokeOptions.from(options).secretEnv().values());
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new SmokeReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new SmokeStage(SmokeOptions.from(options));
  }

  /** The runtime it would use: runtimePath, the named runtime, or with auto the first of podman and docker. */
  @Override
  public List<String> tools(StageOptions options) {
    return SmokeOptions.from(options).tools();
  }
}
