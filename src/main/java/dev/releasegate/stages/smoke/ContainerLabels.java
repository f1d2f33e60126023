package dev.releasegate.stages.smoke;

import java.util.List;
import java.util.Optional;

/**
 * The labels that tie a smoke container to its release: the run, and the releasegate process that
 * started it ({@code PID@START}), so that a leftover is told from a live release's.
 */
final class ContainerLabels {
  static final String RUN = "dev.releasegate.run";
  static final String OWNER = "dev.releasegate.owner";

  private ContainerLabels() {}

  /** The {@code --label} arguments of a container this process starts for run {@code runId}. */
  static List<String> arguments(String runId) {
    return List.of("--label", RUN + "=" + runId, "--label", OWNER + "=" + owner(ProcessHandle.current()).orElse("unknown"));
  }

  /** {@code PID@START} of a live process, as the owner label holds it. */
  static Optional<String> owner(ProcessHandle process) {
    return process.info().startInstant().map(start -> process.pid() + "@" + start.toEpochMilli());
  }

  /** True when {@code owner} ({@code PID@START}) names a process that still runs; unknown owners are alive, to be safe. */
  static boolean ownerAlive(String owner) {
    int at = owner.indexOf('@');
    if (at < 0) {
      return true;
    }
    try {
      long pid = Long.parseLong(owner.substring(0, at));
      return ProcessHandle.of(pid).flatMap(ContainerLabels::owner).map(owner::equals).orElse(false);
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
