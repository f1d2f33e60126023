package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The nonRoot check: who the container's main process runs as. */
final class NonRootCheck {
  private NonRootCheck() {}

  /**
   * What the runtime and the kernel say about the container's main process.
   *
   * @param id the container's id, read with the rest
   */
  record UserFacts(String id, String configuredUser, long pid, Optional<ProcessUser.ProcStatus> proc, Optional<String> topUser) {}

  static UserFacts measure(SmokeContainer container) throws InterruptedException {
    JsonNode inspect = container.inspect();
    long pid = inspect.at("/State/Pid").asLong(0);
    Optional<ProcessUser.ProcStatus> proc = ProcessUser.read(pid);
    Optional<String> topUser = Optional.empty();
    ContainerRuntime runtime = container.runtime();
    Optional<List<String>> top = runtime.top(container.name());
    if (top.isPresent()) {
      ContainerRuntime.Result result = runtime.run(top.get());
      topUser = result.ok() ? ProcessUser.parseTop(result.stdout()) : Optional.empty();
    }
    return new UserFacts(inspect.path("Id").asText(""), inspect.at("/Config/User").asText(""), pid, proc, topUser);
  }

  /**
   * The effective uid from {@code /proc/PID/status} when the process is on this host, else the user
   * {@code podman top} reads from the process table, else (not measured) the configured user.
   */
  static SmokeCheck check(UserFacts user, String runtimeName, Consumer<String> warnings) {
    String expected = "effective uid not 0";
    ObjectNode facts = Json.object().put("configuredUser", user.configuredUser());
    user.topUser().ifPresent(name -> facts.put("topUser", name));
    if (user.proc().isPresent()) {
      ProcessUser.ProcStatus proc = user.proc().get();
      facts.put("source", "/proc/" + user.pid() + "/status").put("uid", proc.uid()).put("hostUid", proc.hostUid())
          .put("capEff", proc.capEff()).put("noNewPrivs", proc.noNewPrivs());
      String measured = "uid " + proc.uid() + user.topUser().map(name -> " (" + name + ")").orElse("");
      return SmokeCheck.of("nonRoot", proc.uid() != 0, expected, measured, facts);
    }
    if (user.topUser().isPresent()) {
      String name = user.topUser().get();
      facts.put("source", runtimeName + " top");
      return SmokeCheck.of("nonRoot", !ProcessUser.isRoot(name), expected, "user " + name, facts);
    }
    facts.put("source", "Config.User");
    warnings.accept("the container's process could not be measured; nonRoot relies on the configured user '" + user.configuredUser() + "'");
    return SmokeCheck.of("nonRoot", !ProcessUser.isRoot(user.configuredUser()), expected,
        "configured user '" + user.configuredUser() + "' (process not measured)", facts);
  }
}
