package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The checks made by asking the ready service: each probe, and the revision it reports. */
final class ServiceChecks {
  private static final Duration PROBE_REQUEST = Duration.ofSeconds(10);
  private static final String NEVER_READY = "the container never became ready";

  /**
   * What the service must report.
   *
   * @param commit the commit this release is made from
   * @param version the release version; another one is only warned about
   */
  record Release(String commit, String version) {}

  private final ServiceHttp service;
  private final Release release;
  private final Consumer<String> warnings;

  ServiceChecks(ServiceHttp service, Release release, Consumer<String> warnings) {
    this.service = service;
    this.release = release;
    this.warnings = warnings;
  }

  /** Every probe, then the version check if there is one; each not run when the container never became ready. */
  List<SmokeCheck> check(List<Probe> probes, Optional<String> versionPath, boolean ready) {
    List<SmokeCheck> checks = new ArrayList<>();
    for (Probe probe : probes) {
      checks.add(ready ? probe(probe) : SmokeCheck.notRun("probe " + probe.path(), probe.expected(), NEVER_READY));
    }
    versionPath.ifPresent(path -> checks.add(ready ? version(path)
        : SmokeCheck.notRun("version", "revision " + release.commit() + " from " + path, NEVER_READY)));
    return checks;
  }

  private SmokeCheck probe(Probe probe) {
    String name = "probe " + probe.path();
    ObjectNode facts = Json.object().put("path", probe.path());
    ServiceHttp.Answer answer;
    try {
      answer = service.get(probe.path(), PROBE_REQUEST);
    } catch (IOException e) {
      return SmokeCheck.of(name, false, probe.expected(), "no answer (" + ServiceHttp.describe(e) + ")", facts);
    }
    facts.put("status", answer.status()).put("durationMs", answer.millis());
    List<String> problems = probe.mismatches(answer.status(), answer.body());
    String measured = answer.status() + " in " + answer.millis() + " ms";
    if (!problems.isEmpty()) {
      measured += ": " + String.join("; ", problems);
      facts.put("bodyExcerpt", service.excerpt(answer.body()));
    }
    return SmokeCheck.of(name, problems.isEmpty(), probe.expected(), measured, facts);
  }

  /** The service must report the commit this release is made from (an abbreviation of 7 or more digits counts). */
  private SmokeCheck version(String path) {
    String commit = release.commit();
    String expected = "revision " + commit + " from " + path;
    ObjectNode facts = Json.object().put("path", path).put("expectedRevision", commit);
    ServiceHttp.Answer answer;
    try {
      answer = service.get(path, PROBE_REQUEST);
    } catch (IOException e) {
      return SmokeCheck.of("version", false, expected, "no answer (" + ServiceHttp.describe(e) + ")", facts);
    }
    facts.put("status", answer.status());
    if (answer.status() / 100 != 2) {
      facts.put("bodyExcerpt", service.excerpt(answer.body()));
      return SmokeCheck.of("version", false, expected, "status " + answer.status(), facts);
    }
    JsonNode body;
    try {
      body = Json.parse(answer.body());
    } catch (IOException e) {
      facts.put("bodyExcerpt", service.excerpt(answer.body()));
      return SmokeCheck.of("version", false, expected, "body is not JSON", facts);
    }
    JsonNode revision = body.path("revision");
    if (!revision.isTextual()) {
      facts.put("bodyExcerpt", service.excerpt(answer.body()));
      return SmokeCheck.of("version", false, expected, "no \"revision\" in the answer", facts);
    }
    String reported = revision.textValue();
    facts.put("revision", service.redact().apply(reported));
    JsonNode version = body.path("version");
    if (version.isTextual()) {
      facts.put("version", service.redact().apply(version.textValue()));
      if (!version.textValue().equals(release.version())) {
        warnings.accept(path + " reports version '" + version.textValue() + "', the release is '" + release.version() + "'");
      }
    }
    boolean matches = reported.equals(commit) || (reported.length() >= 7 && commit.startsWith(reported));
    return SmokeCheck.of("version", matches, expected, "revision " + reported, facts);
  }
}
