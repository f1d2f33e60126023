package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.spi.Artifact;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The predicate's fields, their order and what is redacted: bundles already signed have this shape. */
class SmokePredicateTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void fieldsInTheirOrderWithSecretsRedacted() {
    ContainerRuntime runtime = new ContainerRuntime(ContainerRuntime.Kind.PODMAN, Path.of("/usr/bin/podman"), Map.of());
    Hardening hardening = new Hardening(true, List.of("/tmp"), List.of(), true, 100, "512m", "1", List.of());
    SmokeOptions options = new SmokeOptions("podman", Optional.empty(), 8080, Map.of("TOKEN", "secret", "A", "b"),
        Map.of("API_TOKEN", "HOST_TOKEN"), "/readyz", Duration.ofSeconds(30), Duration.ofSeconds(10), List.of(), Optional.empty(),
        Duration.ofSeconds(10), Duration.ofSeconds(300), hardening);
    ContainerStart.Started started = new ContainerStart.Started("c1", 8080, 40000,
        List.of("run", "--env", "TOKEN=secret", "image"), 0, 5);
    SmokeCheck check = SmokeCheck.of("version", true, "revision r", "revision r (secret)", Json.object().put("path", "/v"));
    SmokePredicate predicate = new SmokePredicate(new ImageReference("127.0.0.1:5000/hello", DIGEST), runtime,
        new ContainerRuntime.Version("4.3.1", Optional.of("4.3.1-server"), new byte[0]),
        new Artifact("artifacts/smoke/runtime-version.json", "b".repeat(64), 10), false, started, "id1", options, List.of(check),
        Json.object().put("stdout", "x"), Json.object().put("totalMs", 9), Instant.ofEpochSecond(0), Instant.ofEpochSecond(1));

    assertEquals("{\"image\":\"127.0.0.1:5000/hello@" + DIGEST + "\","
        + "\"runtime\":{\"name\":\"podman\",\"path\":\"/usr/bin/podman\",\"version\":\"4.3.1\",\"serverVersion\":\"4.3.1-server\","
        + "\"report\":{\"name\":\"artifacts/smoke/runtime-version.json\",\"digest\":{\"sha256\":\"" + "b".repeat(64) + "\"}}},"
        + "\"pulled\":false,\"container\":{\"name\":\"c1\",\"port\":8080,\"hostPort\":40000,\"id\":\"id1\"},"
        + "\"arguments\":[\"/usr/bin/podman\",\"run\",\"--env\",\"TOKEN=***\",\"image\"],"
        + "\"hardening\":{\"readOnly\":true,\"tmpfs\":[\"/tmp\"],\"capDrop\":\"ALL\",\"capAdd\":[],\"noNewPrivileges\":true,"
        + "\"pidsLimit\":100,\"memory\":\"512m\",\"cpus\":\"1\"},\"overrides\":[],"
        + "\"env\":{\"A\":\"b\",\"TOKEN\":\"***\"},\"secretEnv\":{\"API_TOKEN\":\"from HOST_TOKEN\"},"
        + "\"checks\":[{\"name\":\"version\",\"result\":\"passed\",\"expected\":\"revision r\",\"measured\":\"revision r (***)\",\"path\":\"/v\"}],"
        + "\"logs\":{\"stdout\":\"x\"},\"timing\":{\"totalMs\":9},"
        + "\"startedOn\":\"1970-01-01T00:00:00Z\",\"finishedOn\":\"1970-01-01T00:00:01Z\"}",
        predicate.toJson(text -> text.replace("secret", "***")).toString());
  }
}
