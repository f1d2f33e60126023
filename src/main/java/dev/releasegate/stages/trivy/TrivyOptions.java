package dev.releasegate.stages.trivy;

import dev.releasegate.spi.Problems;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The trivy stage's options, read once: what is scanned, how trivy runs, and the gate's policy.
 *
 * @param sbomMode scan the SBOM an earlier stage wrote instead of the image
 * @param failOn as listed, for the evidence; never empty
 * @param path the trivy executable, relative to the project; empty for trivy on PATH
 * @param extraArgs only those {@link TrivyCommand#ALLOWED}
 */
record TrivyOptions(
    boolean sbomMode,
    List<Severity> failOn,
    boolean ignoreUnfixed,
    Optional<String> waivers,
    long maxDbAgeHours,
    Duration timeout,
    Optional<String> path,
    Optional<String> cacheDir,
    boolean skipDbUpdate,
    boolean skipJavaDbUpdate,
    boolean offlineScan,
    boolean noTelemetry,
    List<String> extraArgs) {

  TrivyOptions {
    failOn = List.copyOf(failOn);
    if (failOn.isEmpty()) {
      throw new IllegalArgumentException("failOn must name at least one severity");
    }
    Objects.requireNonNull(waivers, "waivers");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(cacheDir, "cacheDir");
    extraArgs = List.copyOf(extraArgs);
  }

  static TrivyOptions from(StageOptions options) {
    return OptionProblems.valid(options, TrivyOptions::read);
  }

  /** Reads the options and reports an empty failOn, a waivers file outside the project, empty paths and refused extraArgs. */
  static Optional<TrivyOptions> read(StageOptions options, OptionProblems problems) {
    List<String> failOn = options.stringList("failOn");
    if (options.has("failOn") && failOn.isEmpty()) {
      problems.report("failOn", "failOn must name at least one severity; a gate that can never reject is not a gate");
    }
    Optional<String> waivers = options.findString("waivers");
    waivers.ifPresent(name -> {
      if (name.isBlank() || name.startsWith("/") || name.contains("..")) {
        problems.report("waivers", "waivers must be a file relative to the project that stays inside it");
      }
    });
    Optional<String> path = nonEmpty(options, "path", problems);
    Optional<String> cacheDir = nonEmpty(options, "cacheDir", problems);
    List<String> extraArgs = options.stringList("extraArgs");
    TrivyCommand.refuse(extraArgs).ifPresent(problem -> problems.report("extraArgs[" + problem.getKey() + "]", problem.getValue()));
    return problems.result(() -> new TrivyOptions(scansSbom(options), failOn.stream().map(Severity::valueOf).toList(),
        options.bool("ignoreUnfixed"), waivers, options.integer("maxDbAgeHours"), Duration.ofSeconds(options.integer("timeoutSeconds")),
        path, cacheDir, options.bool("skipDbUpdate"), options.bool("skipJavaDbUpdate"), options.bool("offlineScan"),
        options.bool("noTelemetry"), extraArgs));
  }

  /** Whether the stage scans the SBOM; leniently, as the validator asks it of options that may have failed their checks. */
  static boolean scansSbom(StageOptions options) {
    return "sbom".equals(options.findString("mode").orElse("image"));
  }

  private static Optional<String> nonEmpty(StageOptions options, String name, Problems problems) {
    Optional<String> value = options.findString(name);
    if (value.map(String::isBlank).orElse(false)) {
      problems.report(name, name + " must not be empty");
    }
    return value;
  }

  /** Scans with the DB already in the cache, or without API requests: trivy then has no reason to call anybody. */
  boolean offline() {
    return skipDbUpdate || offlineScan;
  }
}
