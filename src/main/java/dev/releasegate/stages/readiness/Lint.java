package dev.releasegate.stages.readiness;

import dev.releasegate.image.ImageConfig;
import dev.releasegate.image.ImageSecrets;
import dev.releasegate.image.ImageUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks themselves: pure functions of the image config, the layers' contents and the policy, so
 * that each can be tested on a synthetic image. Every check is evaluated, in {@link LintRule} order.
 */
final class Lint {
  static final String LABEL_PREFIX = "org.opencontainers.image.";
  static final List<String> REQUIRED_LABELS = List.of("revision", "source", "created", "version");
  static final long BYTES_PER_MB = 1_000_000L;
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern ROOT_UID = Pattern.compile("0+");
  private static final Pattern NUMERIC = Pattern.compile("\\d+");
  private static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh");
  /** A shell option cluster that includes {@code c}: {@code -c}, {@code -ec}, {@code -lc}. */
  private static final Pattern SHELL_COMMAND_OPTION = Pattern.compile("-[a-zA-Z]*c[a-zA-Z]*");
  private static final List<String> HEAP_FLAGS = List.of("-XX:MaxRAMPercentage=", "-Xmx");
  private static final List<String> JVM_OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
  /** Base labels longer than this are shortened in messages; they are meant to be references. */
  private static final int MAX_SHOWN = 100;

  /**
   * What the release asks of the image.
   *
   * @param maxImageMb the size limit, in MB of 1,000,000 bytes, for the compressed and the uncompressed size
   * @param tags the push tags to check for {@code latest}, already expanded; empty when none were given
   */
  record Policy(long maxImageMb, List<String> tags) {
    Policy {
      tags = List.copyOf(tags);
    }
  }

  private Lint() {}

  static List<Evaluation> evaluate(ImageConfig config, ImageContents files, Policy policy) {
    return List.of(
        nonRoot(config, files),
        configSecrets(config),
        fileSecrets(files),
        size(files, policy),
        ociLabels(config),
        pinnedBase(config),
        execForm(config),
        minimal(files),
        exposedPort(config),
        noLatest(policy),
        jvmMemory(config),
        healthcheck(config));
  }

  /**
   * Passes only for a user that provably is not root: a decimal uid other than 0, or a name that a
   * regular, bounded /etc/passwd (not a link, not under one) gives a decimal uid other than 0. Anything
   * that cannot be resolved is a violation, not a pass.
   */
  static Evaluation nonRoot(ImageConfig config, ImageContents files) {
    String field = config.user();
    if (field.isEmpty()) {
      return Evaluation.violated(LintRule.NON_ROOT, "no user set: runs as root");
    }
    ImageUser user;
    try {
      user = ImageUser.parse(field);
    } catch (IllegalArgumentException e) {
      return Evaluation.violated(LintRule.NON_ROOT, e.getMessage());
    }
    if (user.root()) {
      return Evaluation.violated(LintRule.NON_ROOT, "user " + field + " is root");
    }
    if (user.numeric()) {
      return Evaluation.ok(LintRule.NON_ROOT, "user " + field);
    }
    if (!(files.passwd() instanceof ImageContents.PasswdFile.Found passwd)) {
      return Evaluation.violated(LintRule.NON_ROOT, "user " + field + " cannot be resolved: "
          + ((ImageContents.PasswdFile.Unusable) files.passwd()).why());
    }
    Optional<String> uid = uidOf(passwd.text(), user.user());
    if (uid.isEmpty()) {
      return Evaluation.violated(LintRule.NON_ROOT, "user " + field + " is not in /etc/passwd: its uid cannot be known");
    }
    if (!NUMERIC.matcher(uid.get()).matches()) {
      return Evaluation.violated(LintRule.NON_ROOT, "user " + field + " has no decimal uid in /etc/passwd ('" + uid.get() + "')");
    }
    if (ROOT_UID.matcher(uid.get()).matches()) {
      return Evaluation.violated(LintRule.NON_ROOT, "user " + field + " has uid 0 in /etc/passwd");
    }
    return Evaluation.ok(LintRule.NON_ROOT, "user " + field + " (uid " + uid.get() + ")");
  }

  static Evaluation configSecrets(ImageConfig config) {
    List<String> places = new ArrayList<>();
    List<String> findings = new ArrayList<>();
    config.environment().forEach((name, value) -> ImageSecrets.inPair(name, value).ifPresent(kind -> {
      places.add("ENV " + name);
      findings.add("ENV " + name + ": " + kind + " (value not shown)");
    }));
    config.labels().forEach((name, value) -> ImageSecrets.inPair(name, value).ifPresent(kind -> {
      places.add("label " + name);
      findings.add("label " + name + ": " + kind + " (value not shown)");
    }));
    List<String> command = config.commandLine();
    for (int i = 0; i < command.size(); i++) {
      String argument = command.get(i);
      int equals = argument.indexOf('=');
      Optional<String> kind = equals > 0
          ? ImageSecrets.inPair(argument.substring(0, equals), argument.substring(equals + 1))
          : ImageSecrets.inValue(argument);
      if (kind.isPresent()) {
        places.add("command argument " + (i + 1));
        findings.add("command argument " + (i + 1) + ": " + kind.get() + " (value not shown)");
      }
    }
    if (findings.isEmpty()) {
      return Evaluation.ok(LintRule.CONFIG_SECRETS, "none in " + count(config.environment().size(), "ENV variable") + ", "
          + count(config.labels().size(), "label") + ", " + count(command.size(), "command argument"));
    }
    return Evaluation.violated(LintRule.CONFIG_SECRETS, "secrets in " + list(places), findings);
  }

  static Evaluation fileSecrets(ImageContents files) {
    if (files.secrets().isEmpty()) {
      return Evaluation.ok(LintRule.FILE_SECRETS, "none found; scanned " + count(files.scannedFiles(), "file") + " in "
          + count(files.layers().size(), "layer"));
    }
    List<String> paths = files.secrets().stream().map(secret -> secret.file().path()).distinct().toList();
    return Evaluation.violated(LintRule.FILE_SECRETS, "secrets in " + list(paths),
        files.secrets().stream().map(secret -> secret.describe(files.layers())).toList());
  }

  static Evaluation size(ImageContents files, Policy policy) {
    long limit = policy.maxImageMb() * BYTES_PER_MB;
    String measured = "compressed " + mb(files.size()) + ", uncompressed " + mb(files.uncompressedSize())
        + ", extracted " + mb(files.extractedSize()) + " (limit " + policy.maxImageMb() + " MB)";
    List<String> findings = new ArrayList<>();
    if (files.size() > limit) {
      findings.add("compressed size " + mb(files.size()) + " is over maxImageMb " + policy.maxImageMb());
    }
    if (files.uncompressedSize() > limit) {
      findings.add("uncompressed size " + mb(files.uncompressedSize()) + " is over maxImageMb " + policy.maxImageMb());
    }
    if (files.extractedSize() > limit && files.extractedSize() > files.uncompressedSize()) {
      // Only sparse files extract to more than their tar stream; a runtime writes them out in full.
      findings.add("extracted size " + mb(files.extractedSize()) + " is over maxImageMb " + policy.maxImageMb()
          + " (sparse files count their full size)");
    }
    return findings.isEmpty() ? Evaluation.ok(LintRule.SIZE, measured) : Evaluation.violated(LintRule.SIZE, measured, findings);
  }

  static Evaluation ociLabels(ImageConfig config) {
    List<String> missing = REQUIRED_LABELS.stream()
        .filter(name -> config.labels().getOrDefault(LABEL_PREFIX + name, "").isBlank())
        .toList();
    if (missing.isEmpty()) {
      return Evaluation.ok(LintRule.OCI_LABELS, String.join(", ", REQUIRED_LABELS) + " set");
    }
    return Evaluation.violated(LintRule.OCI_LABELS, "missing: " + String.join(", ", missing),
        missing.stream().map(name -> "label " + LABEL_PREFIX + name + " is missing or empty").toList());
  }

  static Evaluation pinnedBase(ImageConfig config) {
    String name = config.labels().getOrDefault(LABEL_PREFIX + "base.name", "").strip();
    String digest = config.labels().getOrDefault(LABEL_PREFIX + "base.digest", "").strip();
    List<String> findings = new ArrayList<>();
    if (name.isEmpty()) {
      findings.add("label " + LABEL_PREFIX + "base.name is missing or empty");
    }
    if (digest.isEmpty()) {
      findings.add("label " + LABEL_PREFIX + "base.digest is missing or empty");
    } else if (!DIGEST.matcher(digest).matches()) {
      findings.add("label " + LABEL_PREFIX + "base.digest is '" + shorten(digest) + "', not sha256:<64 hex>");
    }
    String measured = "base " + (name.isEmpty() ? "(no name)" : shorten(name)) + (digest.isEmpty() ? ", no digest" : " @ " + shorten(digest));
    return findings.isEmpty() ? Evaluation.ok(LintRule.PINNED_BASE, measured) : Evaluation.violated(LintRule.PINNED_BASE, measured, findings);
  }

  static Evaluation execForm(ImageConfig config) {
    List<String> command = config.commandLine();
    if (command.isEmpty()) {
      return Evaluation.violated(LintRule.EXEC_FORM, "no Entrypoint or Cmd");
    }
    if (shellForm(command)) {
      // Only the shell and its option: the script after them may hold anything, secrets included.
      return Evaluation.violated(LintRule.EXEC_FORM, "runs through a shell: " + command.get(0) + " " + command.get(1) + " …");
    }
    return Evaluation.ok(LintRule.EXEC_FORM, "exec form: " + command.get(0));
  }

  static Evaluation minimal(ImageContents files) {
    if (files.tools().isEmpty()) {
      return Evaluation.ok(LintRule.MINIMAL, "no package manager or shell in " + String.join(", ", LayerScanner.BIN_DIRECTORIES));
    }
    return Evaluation.violated(LintRule.MINIMAL, String.join(", ", files.tools()),
        files.tools().stream().map(path -> path + " is in the image").toList());
  }

  static Evaluation exposedPort(ImageConfig config) {
    if (config.exposedPorts().isEmpty()) {
      return Evaluation.violated(LintRule.EXPOSED_PORT, "no ExposedPorts");
    }
    return Evaluation.ok(LintRule.EXPOSED_PORT, "exposes " + String.join(", ", config.exposedPorts()));
  }

  static Evaluation noLatest(Policy policy) {
    if (policy.tags().isEmpty()) {
      return Evaluation.notApplicable(LintRule.NO_LATEST, "no tags given (option tags)");
    }
    String measured = "tags " + String.join(", ", policy.tags());
    boolean latest = policy.tags().stream().anyMatch(tag -> tag.toLowerCase(Locale.ROOT).equals("latest"));
    return latest
        ? Evaluation.violated(LintRule.NO_LATEST, measured, List.of("'latest' moves with every release, so it names no release"))
        : Evaluation.ok(LintRule.NO_LATEST, measured);
  }

  static Evaluation jvmMemory(ImageConfig config) {
    List<String> command = config.commandLine();
    List<String> tokens = shellForm(command) && command.size() > 2
        ? List.of(command.get(2).strip().split("\\s+"))
        : command;
    boolean java = tokens.stream().map(Lint::unquote).anyMatch(token -> token.equals("java") || token.endsWith("/java"));
    if (!java) {
      return Evaluation.notApplicable(LintRule.JVM_MEMORY, command.isEmpty() ? "no command" : "not a java launcher: " + command.get(0));
    }
    Optional<String> flag = tokens.stream().map(Lint::unquote).filter(Lint::heapFlag).findFirst();
    if (flag.isPresent()) {
      return Evaluation.ok(LintRule.JVM_MEMORY, flag.get() + " on the command line");
    }
    for (String variable : JVM_OPTION_VARIABLES) {
      Optional<String> inVariable = List.of(config.environment().getOrDefault(variable, "").split("\\s+")).stream()
          .filter(Lint::heapFlag).findFirst();
      if (inVariable.isPresent()) {
        return Evaluation.ok(LintRule.JVM_MEMORY, inVariable.get() + " in " + variable);
      }
    }
    return Evaluation.violated(LintRule.JVM_MEMORY, "java without -XX:MaxRAMPercentage or -Xmx",
        List.of("the heap defaults to 25% of the container's memory"));
  }

  static Evaluation healthcheck(ImageConfig config) {
    if (config.healthcheck().isPresent()) {
      List<String> test = config.healthcheck().get();
      if (test.isEmpty() || test.get(0).equals("NONE")) {
        return Evaluation.violated(LintRule.HEALTHCHECK, "Healthcheck disabled (NONE)");
      }
      return Evaluation.ok(LintRule.HEALTHCHECK, "Healthcheck " + test.get(0));
    }
    if (config.docker()) {
      return Evaluation.violated(LintRule.HEALTHCHECK, "no Healthcheck in the Docker image config");
    }
    return Evaluation.notApplicable(LintRule.HEALTHCHECK,
        "OCI image config has no Healthcheck field; the smoke stage's probes check health");
  }

  /** {@code [/bin/sh, -c, script]} and its variants: the script runs as a child of the shell, which swallows SIGTERM. */
  static boolean shellForm(List<String> command) {
    if (command.size() < 2) {
      return false;
    }
    String program = command.get(0);
    String name = program.substring(program.lastIndexOf('/') + 1);
    return SHELLS.contains(name) && SHELL_COMMAND_OPTION.matcher(command.get(1)).matches();
  }

  /** {@code 12.3 MB}, with MB = 1,000,000 bytes as registries and docker show it. */
  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (double) BYTES_PER_MB);
  }

  /** {@code 1 layer}, {@code 2 layers}. */
  private static String count(long number, String noun) {
    return number + " " + noun + (number == 1 ? "" : "s");
  }

  /** The first few items, then how many more: a measured value stays one short line. */
  private static String list(List<String> items) {
    int shown = Math.min(items.size(), 3);
    return String.join(", ", items.subList(0, shown)) + (items.size() > shown ? " and " + (items.size() - shown) + " more" : "");
  }

  private static boolean heapFlag(String token) {
    return HEAP_FLAGS.stream().anyMatch(token::startsWith);
  }

  private static Optional<String> uidOf(String passwd, String user) {
    for (String line : passwd.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 3 && fields[0].equals(user)) {
        return Optional.of(fields[2]);
      }
    }
    return Optional.empty();
  }

  private static String unquote(String token) {
    return token.replace("\"", "").replace("'", "");
  }

  private static String shorten(String text) {
    return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
  }
}
