package dev.releasegate.stages.trivy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The trivy command lines the stage runs, and the only extra arguments it lets through. */
final class TrivyCommand {
  /**
   * The flags extraArgs may carry, and whether each takes a value: none of them changes what trivy
   * finds or how it rates it. A gate must see everything trivy found, and record any waiver it applies;
   * a blocklist of the flags that filter findings would miss their aliases and newer neighbours.
   */
  static final Map<String, Boolean> ALLOWED = Map.of(
      "--timeout", true,
      "--platform", true,
      "--db-repository", true,
      "--java-db-repository", true,
      "--parallel", true,
      "--debug", false,
      "--quiet", false,
      "--no-progress", false);

  private TrivyCommand() {}

  /**
   * The first extra argument that is not allowed, by index, with why; empty when every one is. A value
   * follows its flag, attached ({@code --timeout=5m}) or as the next argument.
   */
  static Optional<Map.Entry<Integer, String>> refuse(List<String> extra) {
    for (int i = 0; i < extra.size(); i++) {
      String argument = extra.get(i);
      String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
      Boolean takesValue = ALLOWED.get(name);
      if (takesValue == null) {
        return Optional.of(Map.entry(i, (argument.startsWith("-") ? name + " is" : "'" + argument + "' is a target or value, and")
            + " not among the trivy arguments a gate passes through: " + String.join(", ", ALLOWED.keySet().stream().sorted().toList())
            + "; the stage sets the target, the output, the cache and the filters itself (use failOn, ignoreUnfixed and waivers)"));
      }
      if (takesValue && !argument.contains("=")) {
        if (i + 1 >= extra.size()) {
          return Optional.of(Map.entry(i, name + " needs a value"));
        }
        i++;
      } else if (!takesValue && argument.contains("=")) {
        return Optional.of(Map.entry(i, name + " takes no value"));
      }
    }
    return Optional.empty();
  }

  /**
   * One scan.
   *
   * @param moduleDir an empty folder, so that no WASM module a user installed runs in an image scan
   * @param noTelemetry no version check and no telemetry: trivy calls nobody about itself
   */
  record Scan(
      String executable, String subcommand, String output, boolean insecure, Optional<String> cacheDir, boolean skipDbUpdate,
      boolean skipJavaDbUpdate, boolean offlineScan, boolean noTelemetry, String moduleDir, List<String> extra, String target,
      boolean layout) {

    /**
     * {@code trivy image|sbom --format json --exit-code 0 --output FILE [--module-dir DIR --image-src remote]
     * [--insecure] [--cache-dir DIR] [--skip-db-update] [--skip-java-db-update] [--offline-scan]
     * [--skip-version-check --disable-telemetry] [extra…] TARGET}. Exit code 0 on findings: the gate, not
     * trivy, decides, so any non-zero exit means trivy itself failed. An image is always read from the
     * registry: a local image of the same name in docker, containerd or podman is not what was released.
     * In a dry run ({@code layout}), TARGET is the OCI layout the image was kept in, read with
     * {@code --input TARGET} instead.
     */
    List<String> argv() {
      List<String> argv = new ArrayList<>(List.of(executable, subcommand, "--format", "json", "--exit-code", "0", "--output", output));
      if (subcommand.equals("image")) {
        // trivy sbom takes neither: it loads no modules and reads no image.
        argv.addAll(List.of("--module-dir", moduleDir));
        if (!layout) {
          argv.addAll(List.of("--image-src", "remote"));
        }
      }
      if (insecure) {
        argv.add("--insecure");
      }
      cacheDir.ifPresent(dir -> argv.addAll(List.of("--cache-dir", dir)));
      if (skipDbUpdate) {
        argv.add("--skip-db-update");
      }
      if (skipJavaDbUpdate) {
        argv.add("--skip-java-db-update");
      }
      if (offlineScan) {
        argv.add("--offline-scan");
      }
      if (noTelemetry) {
        argv.addAll(List.of("--skip-version-check", "--disable-telemetry"));
      }
      argv.addAll(extra);
      if (layout) {
        argv.add("--input");
      }
      argv.add(target);
      return List.copyOf(argv);
    }
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
