package dev.releasegate.ci;

import dev.releasegate.spi.CiRun;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Recognizes GitHub Actions and Jenkins from their documented environment variables. */
public final class CiDetector {
  private CiDetector() {}

  public static Optional<CiRun> detect(Map<String, String> environment) {
    if ("true".equals(environment.get("GITHUB_ACTIONS"))) {
      Map<String, String> facts = pick(environment, "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT",
          "GITHUB_WORKFLOW_REF", "GITHUB_SHA", "GITHUB_REF", "GITHUB_EVENT_NAME", "GITHUB_ACTOR", "RUNNER_ENVIRONMENT");
      String server = environment.getOrDefault("GITHUB_SERVER_URL", "https://github.com");
      Optional<String> url = facts.containsKey("GITHUB_REPOSITORY") && facts.containsKey("GITHUB_RUN_ID")
          ? Optional.of(server + "/" + facts.get("GITHUB_REPOSITORY") + "/actions/runs/" + facts.get("GITHUB_RUN_ID")
              + "/attempts/" + facts.getOrDefault("GITHUB_RUN_ATTEMPT", "1"))
          : Optional.empty();
      return Optional.of(new CiRun("github-actions", url, facts));
    }
    if (environment.containsKey("JENKINS_URL") || environment.containsKey("BUILD_URL")) {
      Map<String, String> facts = pick(environment, "JOB_NAME", "BUILD_NUMBER", "BUILD_URL", "GIT_COMMIT", "GIT_BRANCH", "NODE_NAME");
      return Optional.of(new CiRun("jenkins", Optional.ofNullable(environment.get("BUILD_URL")), facts));
    }
    return Optional.empty();
  }

  private static Map<String, String> pick(Map<String, String> environment, String... names) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (String name : names) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        facts.put(name, value);
      }
    }
    return facts;
  }
}
