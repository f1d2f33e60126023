package dev.releasegate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order the built-in pipeline's stages may run in. */
class StageGraphTest {

  @Test
  void theBuiltInPipelineRunsItsImageGatesTogetherAndPublishesAfterEveryGate() {
    Pipeline pipeline = PipelineLoader.load(java.util.Optional.empty(), java.nio.file.Path.of("."), StageTypes.load());
    List<String> names = pipeline.stages().stream().map(StageDeclaration::name).toList();
    assertEquals(List.of("test", "build", "sbom", "scan", "lint", "smoke", "sign", "verify", "push"), names);
    StageGraph graph = StageGraph.of(pipeline.stages());

    assertEquals(Set.of(), graph.predecessors(0), "test starts at once");
    assertEquals(Set.of(0), graph.predecessors(1), "the build waits for the tests: both use the work tree");
    for (int gate = 2; gate <= 5; gate++) {
      assertEquals(Set.of(1), graph.predecessors(gate), names.get(gate) + " needs only the image");
    }
    assertEquals(Set.of(0, 1, 2, 3, 4, 5), graph.predecessors(6), "sign waits for every gate");
    assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6), graph.predecessors(7), "verify waits for every gate and sign");
    assertEquals(Set.of(0, 1, 2, 3, 4, 5, 7), graph.predecessors(8), "push (the tags) waits for every gate and verify");
  }
}
