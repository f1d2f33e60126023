package dev.releasegate.stages.jib;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.releasegate.image.ImageUser;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The jib stage's options, read once: the build to run and what the image is made of. */
record JibOptions(
    List<String> buildCommand,
    Duration timeout,
    String classes,
    String dependencies,
    Optional<String> mainClass,
    List<String> jvmFlags,
    List<String> ports,
    String user,
    String appRoot,
    Map<String, String> environment,
    Optional<String> title,
    ImageFormat format) {
  private static final Pattern PORT = Pattern.compile("\\d{1,5}(/(tcp|udp))?");

  JibOptions {
    buildCommand = List.copyOf(buildCommand);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(classes, "classes");
    Objects.requireNonNull(dependencies, "dependencies");
    Objects.requireNonNull(mainClass, "mainClass");
    jvmFlags = List.copyOf(jvmFlags);
    ports = List.copyOf(ports);
    Objects.requireNonNull(user, "user");
    if (!appRoot.startsWith("/")) {
      throw new IllegalArgumentException("appRoot must be an absolute path");
    }
    // In order: the image's environment is part of its bytes.
    environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(format, "format");
  }

  static JibOptions from(StageOptions options) {
    return OptionProblems.valid(options, JibOptions::read);
  }

  /** Reads the options and reports each bad port, a relative appRoot and a root or unparsable user. */
  static Optional<JibOptions> read(StageOptions options, OptionProblems problems) {
    List<String> ports = options.stringList("ports");
    for (int i = 0; i < ports.size(); i++) {
      if (!PORT.matcher(ports.get(i)).matches() || Integer.parseInt(ports.get(i).replaceAll("/.*", "")) > 65535) {
        problems.report("ports[" + i + "]", "port must be a number up to 65535, optionally /tcp or /udp: '" + ports.get(i) + "'");
      }
    }
    String appRoot = options.string("appRoot");
    if (!appRoot.startsWith("/")) {
      problems.report("appRoot", "appRoot must be an absolute path");
    }
    String user = options.string("user");
    try {
      if (ImageUser.parse(user).root()) {
        problems.report("user", "the image must not run as root; use a numeric non-root user such as 65532");
      }
    } catch (IllegalArgumentException e) {
      problems.report("user", e.getMessage() + "; use a numeric non-root user such as 65532");
    }
    return problems.result(() -> new JibOptions(options.stringList("buildCommand"), Duration.ofSeconds(options.integer("timeoutSeconds")),
        options.string("classes"), options.string("dependencies"), options.findString("mainClass"), options.stringList("jvmFlags"), ports,
        user, appRoot, options.stringMap("environment"), options.findString("title"),
        options.string("format").equals("OCI") ? ImageFormat.OCI : ImageFormat.Docker));
  }

  /** The ports as jib exposes them: {@code 8080} is TCP. */
  Set<Port> exposedPorts() {
    Set<Port> exposed = new LinkedHashSet<>();
    for (String port : ports) {
      String[] parts = port.split("/");
      exposed.add(parts.length == 2 && parts[1].equals("udp") ? Port.udp(Integer.parseInt(parts[0])) : Port.tcp(Integer.parseInt(parts[0])));
    }
    return exposed;
  }
}
