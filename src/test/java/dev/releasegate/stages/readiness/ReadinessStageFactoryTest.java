package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stage type as the pipeline validator sees it: name, predicate, options, requirements, option checks. */
class ReadinessStageFactoryTest {
  private final ReadinessStageFactory factory = new ReadinessStageFactory();

  @Test
  void isABuiltInStageTypeFoundOnTheClassPath() {
    StageTypes types = StageTypes.load().builtIn();
    assertTrue(types.find("readiness").orElseThrow() instanceof ReadinessStageFactory);
    assertEquals("https://releasegate.dev/readiness/v1", factory.predicateType());
    assertEquals(java.util.Set.of(Outputs.IMAGE), factory.requires(StageOptions.EMPTY));
  }

  @Test
  void optionsAndDefaults() {
    assertEquals(List.of("maxImageMb", "tags", "waivers"), factory.options().all().stream().map(OptionSpec::name).toList());
    assertEquals(Optional.of(200L), factory.options().find("maxImageMb").orElseThrow().defaultValue());
    assertEquals(Optional.of(List.of()), factory.options().find("tags").orElseThrow().defaultValue(),
        "no tags by default: the lint never guesses the push stage's tags");
    assertEquals(Optional.empty(), factory.options().find("waivers").orElseThrow().defaultValue());
  }

  @Test
  void waiversOutsideTheProjectAndUnknownPlaceholdersAreReported() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("maxImageMb", 200L);
    values.put("tags", List.of("{version}", "{branch}", ""));
    values.put("waivers", "../waivers.yaml");
    List<String> problems = new ArrayList<>();
    factory.check(StageOptions.of(values), (path, message) -> problems.add(path + ": " + message));

    assertEquals(List.of(
        "waivers: waivers must be a file relative to the project that stays inside it",
        "tags[1]: unknown placeholder {branch} in tag '{branch}' (known: {version}, {gitSha}, {gitShortSha})",
        "tags[2]: a tag must not be empty"), problems);
  }
}
