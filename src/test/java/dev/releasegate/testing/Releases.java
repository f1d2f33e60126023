package dev.releasegate.testing;

import dev.releasegate.api.ReleaseRequest;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs real releases in process, with a throwaway key and a controlled environment. */
public final class Releases {
  private Releases() {}

  /** The environment a release sees: this process's PATH and HOME, plus the key password. */
  public static Map<String, String> environment() {
    Map<String, String> environment = new HashMap<>();
    for (String name : List.of("PATH", "HOME", "JAVA_HOME", "MAVEN_OPTS", "LANG")) {
      String value = System.getenv(name);
      if (value != null) {
        environment.put(name, value);
      }
    }
    environment.put("COSIGN_PASSWORD", TestKeys.PASSWORD);
    return environment;
  }

  public static ReleaseRequest.Builder request(Path project, Path keyPrefix, Path evidence) {
    return ReleaseRequest.builder(project)
        .keyFile(TestKeys.key(keyPrefix))
        .evidenceDirectory(evidence)
        .version("1.2.3")
        .environment(environment());
  }

  /** A release with every event kept, for assertions on what was reported. */
  public static Run run(ReleaseRequest request) {
    List<ReleaseEvent> events = new CopyOnWriteArrayList<>();
    ReleaseResult result = Releasegate.release(request, events::add);
    return new Run(result, List.copyOf(events));
  }

  public record Run(ReleaseResult result, List<ReleaseEvent> events) {}
}
