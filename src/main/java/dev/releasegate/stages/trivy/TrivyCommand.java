package dev.releasegate.stages.trivy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The trivy command lines the stage runs, and the arguments and variables it keeps away from them. */
final class TrivyCommand {
  private static final String FILTERS =
      " changes what trivy reports before the gate sees it; use failOn, ignoreUnfixed and waivers";

  /**
   * Flags that extraArgs may not carry, with the reason. The stage sets the output flags itself, has
   * options for some, and refuses those that would drop findings before the gate: a gate must see
   * everything trivy found, and record any waiver it applies.
   */
  private static final Map<String, String> REFUSED = refused();

  /**
   * Trivy reads every flag also from {@code TRIVY_<FLAG>}; these would do behind the pipeline file's
   * back what {@link #REFUSED} prevents in it, so they are removed from trivy's environment.
   */
  static final Set<String> REFUSED_ENVIRONMENT =
      REFUSED.keySet().stream()
          .filter(flag -> flag.startsWith("--") && !List.of("--cache-dir", "--skip-db-update", "--offline-scan").contains(flag))
          .map(flag -> "TRIVY_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_'))
          .collect(Collectors.toUnmodifiableSet());

  private TrivyCommand() {}

  private static Map<String, String> refused() {
    Map<String, String> refused = new LinkedHashMap<>();
    for (String flag : List.of("--format", "-f", "--output", "-o", "--exit-code", "--template", "-t")) {
      refused.put(flag, flag + " is set by the trivy stage");
    }
    refused.put("--cache-dir", "--cache-dir has its own option: cacheDir");
    refused.put("--skip-db-update", "--skip-db-update has its own option: skipDbUpdate");
    refused.put("--offline-scan", "--offline-scan has its own option: offlineScan");
    refused.put("--insecure", "--insecure is added only for loopback registries with --insecure-registry");
    for (String flag : List.of("--severity", "-s", "--ignore-unfixed", "--ignore-status", "--ignorefile", "--ignore-policy",
        "--vex", "--scanners", "--pkg-types", "--vuln-type", "--config", "-c")) {
      refused.put(flag, flag + FILTERS);
    }
    return refused;
  }

  /** Why {@code argument} may not be passed through extraArgs, if it may not. */
  static Optional<String> refuse(String argument) {
    for (Map.Entry<String, String> flag : REFUSED.entrySet()) {
      String name = flag.getKey();
      boolean matches = name.startsWith("--")
          ? argument.equals(name) || argument.startsWith(name + "=")
          // pflag short flags also take their value attached: -sHIGH, -s=HIGH.
          : argument.startsWith(name) && !argument.startsWith("--");
      if (matches) {
        return Optional.of(flag.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * {@code trivy image|sbom --format json --exit-code 0 --output FILE [--insecure] [--cache-dir DIR]
   * [--skip-db-update] [--offline-scan] [extra…] TARGET}. Exit code 0 on findings: the gate, not
   * trivy, decides, so any non-zero exit means trivy itself failed.
   */
  static List<String> scan(String executable, String subcommand, String output, boolean insecure,
      Optional<String> cacheDir, boolean skipDbUpdate, boolean offlineScan, List<String> extra, String target) {
    List<String> argv = new ArrayList<>(List.of(executable, subcommand, "--format", "json", "--exit-code", "0", "--output", output));
    if (insecure) {
      argv.add("--insecure");
    }
    cacheDir.ifPresent(dir -> {
      argv.add("--cache-dir");
      argv.add(dir);
    });
    if (skipDbUpdate) {
      argv.add("--skip-db-update");
    }
    if (offlineScan) {
      argv.add("--offline-scan");
    }
    argv.addAll(extra);
    argv.add(target);
    return List.copyOf(argv);
  }

  /** {@code trivy --version --format json [--cache-dir DIR]}: the DB it reports is the one in that cache. */
  static List<String> version(String executable, Optional<String> cacheDir) {
    List<String> argv = new ArrayList<>(List.of(executable, "--version", "--format", "json"));
    cacheDir.ifPresent(dir -> {
      argv.add("--cache-dir");
      argv.add(dir);
    });
    return List.copyOf(argv);
  }
}
