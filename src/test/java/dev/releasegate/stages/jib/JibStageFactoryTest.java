package dev.releasegate.stages.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the jib stage reads back from its own signed provenance when a run is resumed. */
class JibStageFactoryTest {
  @Test
  void theBaseImageItBuiltOnIsTheProvenancesOciDependency() throws IOException {
    JsonNode predicate;
    try (InputStream in = JibStageFactoryTest.class.getResourceAsStream("/report/predicates/02-build.json")) {
      predicate = Json.parse(in.readAllBytes()).get("predicate");
    }
    assertEquals(Optional.of("sha256:614d3fd63f3fd1aa6cfc2afbac8f97ba5be85eefc60f2c646a96a663b2a2d061"),
        new JibStageFactory().baseImageDigest(predicate));
    assertEquals(Optional.empty(), new JibStageFactory().baseImageDigest(Json.object()), "a provenance without a base image names none");
    assertEquals(Optional.empty(), new dev.releasegate.stages.exec.ExecStageFactory().baseImageDigest(predicate),
        "a stage that builds on no base image is reused whatever the base");
  }
}
