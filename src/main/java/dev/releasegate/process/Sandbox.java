package dev.releasegate.process;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the project's own commands run (its tests, its build, exec stages): apart from the release's
 * secrets, as SLSA Build L3 asks. With bubblewrap they get their own PID namespace and {@code /proc},
 * so releasegate's process, environment and memory are out of sight, and their own mount namespace, in
 * which the key file and registry credential files are empty. Where the platform allows no namespaces
 * the commands run as they are, and the run says so: the evidence records {@code isolation: none}.
 *
 * @param prefix the arguments that run a command inside the sandbox, up to and including {@code --};
 *     empty when not isolated
 * @param notIsolatedBecause why the commands are not isolated, when they are not
 */
public record Sandbox(List<String> prefix, Optional<String> notIsolatedBecause) {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
  /** Set to {@code none} where namespaces are forbidden outright; the evidence records it, and a policy can refuse it. */
  public static final String OPT_OUT = "RELEASEGATE_ISOLATION";

  public Sandbox {
    prefix = List.copyOf(prefix);
    if (prefix.isEmpty() == notIsolatedBecause.isEmpty()) {
      throw new IllegalArgumentException("a sandbox either isolates or says why not");
    }
  }

  public boolean isolated() {
    return !prefix.isEmpty();
  }

  /**
   * Tries bubblewrap once and keeps it if it works here.
   *
   * @param hidden files and folders the commands must not read (the key, registry credentials); those
   *     that exist are replaced by empty ones inside the sandbox
   */
  public static Sandbox detect(Map<String, String> environment, List<Path> hidden) throws InterruptedException {
    if ("none".equals(environment.get(OPT_OUT))) {
      return none(OPT_OUT + "=none");
    }
    Optional<Path> bwrap = Subprocess.findExecutable("bwrap", environment);
    if (bwrap.isEmpty()) {
      return none("bwrap (bubblewrap) is not installed; on Debian: apt-get install bubblewrap");
    }
    List<String> prefix = new ArrayList<>(List.of(bwrap.get().toString(), "--dev-bind", "/", "/", "--proc", "/proc", "--unshare-pid",
        "--die-with-parent", "--new-session"));
    for (Path path : hidden) {
      Path absolute = path.toAbsolutePath().normalize();
      if (Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
        prefix.addAll(List.of("--tmpfs", absolute.toString()));
      } else if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
        prefix.addAll(List.of("--ro-bind", "/dev/null", absolute.toString()));
      }
    }
    prefix.add("--");
    List<String> probe = new ArrayList<>(prefix);
    probe.add("true");
    StringBuilder output = new StringBuilder();
    Subprocess.Result result;
    try {
      result = Subprocess.of(probe).environment(environment).timeout(PROBE_TIMEOUT).lines(line -> output.append(line).append(' ')).run();
    } catch (RuntimeException e) {
      return none("bwrap cannot start: " + e.getMessage());
    }
    if (result.timedOut() || result.exitCode() != 0) {
      return none("bwrap cannot make namespaces here (" + (result.timedOut() ? "no answer" : "exit " + result.exitCode()) + ": "
          + output.toString().strip() + ")");
    }
    return new Sandbox(prefix, Optional.empty());
  }

  public static Sandbox none(String why) {
    return new Sandbox(List.of(), Optional.of(why));
  }

  /** Registry credential files a build has no business reading, as docker, podman and skopeo keep them. */
  public static List<Path> credentialFiles(Map<String, String> environment) {
    List<Path> files = new ArrayList<>();
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    files.add(Path.of(environment.getOrDefault("DOCKER_CONFIG", home + "/.docker")));
    files.add(Path.of(home, ".config", "containers", "auth.json"));
    Optional.ofNullable(environment.get("XDG_RUNTIME_DIR")).ifPresent(dir -> files.add(Path.of(dir, "containers", "auth.json")));
    Optional.ofNullable(environment.get("REGISTRY_AUTH_FILE")).ifPresent(file -> files.add(Path.of(file)));
    return files;
  }
}
