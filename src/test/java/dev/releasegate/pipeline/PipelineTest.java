package dev.releasegate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static Pipeline at(String location) {
    return new Pipeline(location, "0".repeat(64), "", Optional.empty(), Optional.empty(), Map.of(), List.of(), Pipeline.Attach.ALL);
  }

  @Test
  void theEvidenceRecordsThePipelineByItsPathInTheProjectNeverByAHostPath() {
    Path project = Path.of("/home/ci/work/service");

    assertEquals("releasegate.yaml", at("/home/ci/work/service/releasegate.yaml").recordedLocation(project));
    assertEquals("ci/release.yaml", at("/home/ci/work/service/ci/../ci/release.yaml").recordedLocation(project));
    assertEquals("shared.yaml", at("/etc/releasegate/shared.yaml").recordedLocation(project), "outside the project: its name alone");
    assertEquals("builtin:release.yaml", at(PipelineLoader.BUILTIN_LOCATION).recordedLocation(project));
  }
}
