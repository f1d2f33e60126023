package dev.releasegate.stages.readiness;

import java.util.Arrays;
import java.util.Optional;

/**
 * The readiness checks. Each comes from an item of the production-readiness checklist (its seed), has
 * a stable id that waivers and reports name, a severity, and a one-line fix. Ids are never reused: a
 * retired check keeps its number.
 */
enum LintRule {
  NON_ROOT("RG-IMG-001", Severity.ERROR, "Run as non-root user",
      "runs as a non-root user",
      "set a numeric non-root user, e.g. 65532 (jib stage option user)"),
  CONFIG_SECRETS("RG-IMG-002", Severity.ERROR, "No secrets in images",
      "no secrets in ENV, labels or command",
      "remove it from the image config, pass it at run time (mounted file, secret manager) and rotate it"),
  FILE_SECRETS("RG-IMG-003", Severity.ERROR, "No secrets in images",
      "no private keys or credential files in any layer",
      "keep it out of the build context and rotate it; deleting it in a later layer still ships it"),
  SIZE("RG-IMG-004", Severity.ERROR, "Small images",
      "image size within maxImageMb",
      "use a minimal base, drop build tools and caches from the image, or raise maxImageMb"),
  OCI_LABELS("RG-IMG-005", Severity.ERROR, "OCI labels",
      "OCI labels revision, source, created, version set",
      "set org.opencontainers.image.revision, source, created and version (the jib stage sets them from git)"),
  PINNED_BASE("RG-IMG-006", Severity.ERROR, "Pinned base image",
      "base image pinned by digest",
      "build on base@sha256:… and record org.opencontainers.image.base.name and base.digest"),
  EXEC_FORM("RG-IMG-007", Severity.ERROR, "Exec-form entrypoint for signal handling",
      "entrypoint in exec form, not through a shell",
      "use exec form, e.g. [\"/app/server\"], so the process is PID 1 and receives SIGTERM"),
  MINIMAL("RG-IMG-008", Severity.WARN, "Distroless / minimal images",
      "no package manager or shell in the image",
      "use a distroless base"),
  EXPOSED_PORT("RG-IMG-009", Severity.WARN, "Declare exposed ports",
      "exposed port declared",
      "declare the service port (jib stage option ports; EXPOSE 8080)"),
  NO_LATEST("RG-IMG-010", Severity.ERROR, "Immutable tags, no latest",
      "no latest among the push tags",
      "tag with the version and git sha, never latest"),
  JVM_MEMORY("RG-IMG-011", Severity.WARN, "Container-aware JVM memory",
      "JVM heap sized to the container",
      "add -XX:MaxRAMPercentage=75.0 to the JVM flags (jib stage option jvmFlags)"),
  HEALTHCHECK("RG-IMG-012", Severity.WARN, "Health checks",
      "health check declared",
      "declare a HEALTHCHECK, or build an OCI image and probe it in the smoke stage");

  /** How much a violation weighs: errors reject the release, warnings are reported. */
  enum Severity {
    ERROR("error"),
    WARN("warn");

    private final String id;

    Severity(String id) {
      this.id = id;
    }

    String id() {
      return id;
    }
  }

  private final String id;
  private final Severity severity;
  private final String seed;
  private final String title;
  private final String fix;

  LintRule(String id, Severity severity, String seed, String title, String fix) {
    this.id = id;
    this.severity = severity;
    this.seed = seed;
    this.title = title;
    this.fix = fix;
  }

  String id() {
    return id;
  }

  Severity severity() {
    return severity;
  }

  /** The checklist item this check comes from. */
  String seed() {
    return seed;
  }

  /** What is checked, in a few words. */
  String title() {
    return title;
  }

  /** One line: what to change so that the check passes. */
  String fix() {
    return fix;
  }

  static Optional<LintRule> byId(String id) {
    return Arrays.stream(values()).filter(check -> check.id.equals(id)).findFirst();
  }
}
