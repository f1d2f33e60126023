package dev.releasegate.stages.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who the container's main process runs as, from the sources a runtime offers. The process table is
 * the truth; the image's configured user is only what was asked for.
 */
final class ProcessUser {
  private ProcessUser() {}

  /**
   * The kernel's view of the container's PID 1, read on the host from {@code /proc/PID/status}.
   *
   * @param uid the effective uid as the container sees it (mapped through its user namespace)
   * @param hostUid the effective uid as the host sees it
   * @param capEff the effective capability set, hex
   * @param noNewPrivs the no_new_privs bit
   */
  record ProcStatus(long uid, long hostUid, String capEff, boolean noNewPrivs) {}

  /** Empty when the process is not on this host or not readable (a remote engine, another user's rootless podman). */
  static Optional<ProcStatus> read(long pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      Path proc = Path.of("/proc", Long.toString(pid));
      return parse(Files.readString(proc.resolve("status")), Files.readString(proc.resolve("uid_map")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Parses {@code status} and {@code uid_map}. Rootless runtimes map the container's root to an
   * unprivileged host uid, so the host uid alone would call a root process non-root: it is mapped back.
   */
  static Optional<ProcStatus> parse(String status, String uidMap) {
    Long hostUid = null;
    String capEff = "";
    boolean noNewPrivs = false;
    for (String line : status.split("\n")) {
      String[] fields = line.split("\\s+");
      switch (fields[0]) {
        // Uid: real, effective, saved, file system
        case "Uid:" -> hostUid = fields.length > 2 ? Long.parseLong(fields[2]) : null;
        case "CapEff:" -> capEff = fields.length > 1 ? fields[1] : "";
        case "NoNewPrivs:" -> noNewPrivs = fields.length > 1 && fields[1].equals("1");
        default -> { }
      }
    }
    if (hostUid == null) {
      return Optional.empty();
    }
    Optional<Long> uid = toContainer(hostUid, uidMap);
    if (uid.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ProcStatus(uid.get(), hostUid, capEff, noNewPrivs));
  }

  /** {@code uid_map} lines are {@code inside outside count}, read from the host, where outside is a host uid. */
  static Optional<Long> toContainer(long hostUid, String uidMap) {
    for (String line : uidMap.strip().split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length != 3) {
        continue;
      }
      long inside = Long.parseLong(fields[0]);
      long outside = Long.parseLong(fields[1]);
      long count = Long.parseLong(fields[2]);
      if (hostUid >= outside && hostUid - outside < count) {
        return Optional.of(inside + hostUid - outside);
      }
    }
    return Optional.empty();
  }

  /** The effective user name in the container from {@code podman top NAME user huser}. */
  static Optional<String> parseTop(String output) {
    String[] lines = output.strip().split("\n");
    if (lines.length < 2 || !lines[0].strip().startsWith("USER")) {
      return Optional.empty();
    }
    String[] fields = lines[1].strip().split("\\s+");
    return fields[0].isEmpty() ? Optional.empty() : Optional.of(fields[0]);
  }

  /** A configured user ({@code Config.User}: name, uid, {@code user:group}, or empty for the image default, root). */
  static boolean isRoot(String user) {
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    return name.isEmpty() || name.equals("root") || name.equals("0");
  }
}
