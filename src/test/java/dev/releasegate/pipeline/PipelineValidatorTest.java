package dev.releasegate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed pipeline files, each with the exact problems and positions it must produce. */
class PipelineValidatorTest {
  private static final String HEAD = "apiVersion: releasegate/v1\nstages:\n";
  private final PipelineValidator validator = new PipelineValidator(StageTypes.load());
  /** Every type on the test class path, as the message lists them; stages are added over time. */
  private static final String AVAILABLE =
      String.join(", ", StageTypes.load().all().stream().map(dev.releasegate.spi.StageFactory::type).toList());

  private List<String> problems(String yaml) {
    return assertThrows(PipelineException.class,
        () -> validator.validate("p.yaml", yaml.getBytes(StandardCharsets.UTF_8))).problems();
  }

  @Test
  void validFileGivesTheStagesWithDefaults() {
    Pipeline pipeline = validator.validate("p.yaml", (HEAD
        + "  - {name: unit, uses: test, with: {reports: \"target/*.xml\"}}\n"
        + "  - {name: lint, uses: exec, with: {command: [sleep, 5], env: {A: 1}}}\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("unit", "lint"), pipeline.stages().stream().map(StageDeclaration::name).toList());
    var test = pipeline.stages().get(0).options();
    assertEquals(List.of("mvn", "-B", "test"), test.stringList("command"));
    assertEquals(List.of("target/*.xml"), test.stringList("reports"), "a single string reads as a list of one");
    assertEquals(1800L, test.integer("timeoutSeconds"));
    assertEquals(List.of("sleep", "5"), pipeline.stages().get(1).options().stringList("command"));
    assertEquals("1", pipeline.stages().get(1).options().stringMap("env").get("A"));
    assertEquals(64, pipeline.sha256().length());
  }

  @Test
  void unknownTopLevelKeyWithSuggestion() {
    assertEquals(List.of(
            "p.yaml:1:1: missing 'stages'",
            "p.yaml:2:1: unknown key 'stagse', did you mean 'stages'? (expected one of: apiVersion, attach, image, stages)"),
        problems("apiVersion: releasegate/v1\nstagse: []\n"));
  }

  @Test
  void wrongApiVersion() {
    assertEquals(List.of("p.yaml:1:13: apiVersion must be releasegate/v1"),
        problems("apiVersion: releasegate/v2\nstages:\n  - {name: a, uses: exec, with: {command: [x]}}\n"));
  }

  @Test
  void stagesMustBeAList() {
    assertEquals(List.of("p.yaml:2:9: stages must be a non-empty list"), problems(HEAD.replace("stages:\n", "stages: {}\n")));
  }

  @Test
  void unknownStageTypeIsNamedWithSuggestion() {
    assertEquals(List.of("p.yaml:3:24: unknown stage type 'tset', did you mean 'test'? (available: " + AVAILABLE + ")"),
        problems(HEAD + "  - {name: unit, uses: tset}\n"));
  }

  @Test
  void duplicateStageNames() {
    assertEquals(List.of("p.yaml:4:12: duplicate stage name 'a' (first at line 3)"),
        problems(HEAD + "  - {name: a, uses: exec, with: {command: [x]}}\n  - {name: a, uses: exec, with: {command: [y]}}\n"));
  }

  @Test
  void unknownOptionWithSuggestion() {
    assertEquals(List.of(
            "p.yaml:6:7: unknown option 'comand', did you mean 'command'? (options: command, timeoutSeconds, env, workingDirectory, outputs, exclusive)",
            "p.yaml:6:7: missing required option 'command'"),
        problems(HEAD + "  - name: a\n    uses: exec\n    with:\n      comand: [x]\n"));
  }

  @Test
  void wrongTypes() {
    assertEquals(List.of(
            "p.yaml:3:50: timeoutSeconds must be an integer, got a string",
            "p.yaml:4:43: command must be a list: the program and its arguments, got a mapping",
            "p.yaml:5:60: aboutImage must be true or false, got a string",
            "p.yaml:6:43: env.A must be a string, got a list"),
        problems(HEAD
            + "  - {name: a, uses: test, with: {timeoutSeconds: soon}}\n"
            + "  - {name: b, uses: exec, with: {command: {x: y}}}\n"
            + "  - {name: c, uses: shout, with: {message: hi, aboutImage: \"yes\"}}\n"
            + "  - {name: d, uses: test, with: {env: {A: [1]}}}\n"));
  }

  @Test
  void aCommandNamesAProgramAndHoldsNoNulByte() {
    assertEquals(List.of(
            "p.yaml:3:43: command must not be empty",
            "p.yaml:4:44: command[0] must name a program",
            "p.yaml:5:49: command[1] holds a NUL byte",
            "p.yaml:6:47: buildCommand must be a list: the program and its arguments, got a string",
            "p.yaml:7:43: env.A holds a NUL byte"),
        problems(HEAD
            + "  - {name: a, uses: exec, with: {command: []}}\n"
            + "  - {name: b, uses: exec, with: {command: [\"\", x]}}\n"
            + "  - {name: c, uses: exec, with: {command: [cat, \"a\\0b\"]}}\n"
            + "  - {name: d, uses: jib, with: {buildCommand: \"make all\"}}\n"
            + "  - {name: e, uses: test, with: {env: {A: \"x\\0\"}}}\n"));
  }

  @Test
  void aPipelineFileLargerThanAnyRealOneIsRefusedUnread(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) throws Exception {
    java.nio.file.Path file = folder.resolve("releasegate.yaml");
    byte[] line = new byte[(int) PipelineLoader.MAX_BYTES + 1];
    java.util.Arrays.fill(line, (byte) 'a');
    java.nio.file.Files.write(file, line);
    dev.releasegate.base.InvalidInputException e = assertThrows(dev.releasegate.base.InvalidInputException.class,
        () -> PipelineLoader.load(java.util.Optional.of(file), folder, StageTypes.load()));
    assertEquals("pipeline file " + file + " is 1048577 bytes; at most 1048576", e.getMessage());
  }

  @Test
  void aFileOfOneMistakeRepeatedShowsTheFirstFiftyAndCountsTheRest() {
    List<String> problems = problems(HEAD + "  - {name: a, uses: exec, with: {command: [x], env: {" + "A: [1], ".repeat(200) + "}}}\n");
    assertEquals(ProblemList.MAX_SHOWN + 1, problems.size());
    assertTrue(problems.get(0).endsWith(": env.A must be a string, got a list"), problems.get(0));
    assertTrue(problems.get(ProblemList.MAX_SHOWN).matches("p\\.yaml: \\d+ more problems"), problems.get(ProblemList.MAX_SHOWN));
  }

  @Test
  void integerOutOfRange() {
    assertEquals(List.of("p.yaml:3:50: timeoutSeconds must be between 1 and 86400, got 0"),
        problems(HEAD + "  - {name: a, uses: test, with: {timeoutSeconds: 0}}\n"));
  }

  @Test
  void withMustBeAMapping() {
    assertEquals(List.of("p.yaml:3:33: with must be a mapping, got a list"),
        problems(HEAD + "  - {name: a, uses: test, with: [x]}\n"));
  }

  @Test
  void missingRequiredOption() {
    assertEquals(List.of("p.yaml:3:5: missing required option 'command'"), problems(HEAD + "  - {name: a, uses: exec}\n"));
  }

  @Test
  void outputThatNobodyProduces() {
    assertEquals(List.of("p.yaml:3:21: stage 'a' (shout) needs output 'image', which no earlier stage produces (add a stage that uses fake-image or jib before it)"),
        problems(HEAD + "  - {name: a, uses: shout, with: {message: hi, aboutImage: true}}\n"));
  }

  @Test
  void notValidYaml() {
    List<String> problems = problems(HEAD + "  - {name: a, uses: [exec\n");
    assertEquals(1, problems.size());
    assertEquals("p.yaml:3:26: not valid YAML: expected ',' or ']', but got <stream end>", problems.get(0));
  }

  @Test
  void emptyFile() {
    assertEquals(List.of("p.yaml:1:1: the file is empty"), problems(""));
  }

  @Test
  void duplicateKeyInAMapping() {
    assertEquals(List.of("p.yaml:3:27: duplicate key 'name'"), problems(HEAD + "  - {name: a, uses: exec, name: b, with: {command: [x]}}\n"));
  }

  @Test
  void badStageNameAndImageRepository() {
    assertEquals(List.of(
            "p.yaml:2:21: image.repository must be host/path without tag or digest, e.g. 127.0.0.1:5000/hello-service",
            "p.yaml:4:12: stage name 'Build It' must be lower case letters, digits and dashes (at most 40)"),
        problems("apiVersion: releasegate/v1\nimage: {repository: \"example.test/app:1.0\"}\nstages:\n  - {name: Build It, uses: exec, with: {command: [x]}}\n"));
  }

  @Test
  void everyProblemIsReportedAtOnceInFileOrder() {
    List<String> problems = problems("apiVersion: 1\nextra: true\nstages:\n  - {name: a, uses: nope}\n  - {name: a, uses: exec}\n");
    assertEquals(List.of(
            "p.yaml:1:13: apiVersion must be releasegate/v1",
            "p.yaml:2:1: unknown key 'extra' (expected one of: apiVersion, attach, image, stages)",
            "p.yaml:4:21: unknown stage type 'nope' (available: " + AVAILABLE + ")",
            "p.yaml:5:5: missing required option 'command'",
            "p.yaml:5:12: duplicate stage name 'a' (first at line 4)"),
        problems);
  }

  @Test
  void aGateAfterAPublisherIsRefusedAtItsPositionWithTheOrderToUse() {
    assertEquals(List.of(
            "p.yaml:5:24: stage 'scan' (trivy) is a gate, but comes after publisher 'push' (push, line 4): every gate must pass before "
                + "anything is published, so list the gates first and the publishers (sign, verify, push) after them"),
        problems(HEAD + "  - {name: build, uses: fake-image}\n  - {name: push, uses: push}\n  - {name: scan, uses: trivy}\n"));
  }

  @Test
  void needsNamesEarlierStagesOnly() {
    assertEquals(List.of(
            "p.yaml:3:57: stage 'a' cannot need itself",
            "p.yaml:4:60: stage 'b' needs 'c', which is not an earlier stage, did you mean 'a'?; a stage can only need stages listed before it",
            "p.yaml:5:60: stage 'c' needs 'aa', which is not an earlier stage, did you mean 'a'?; a stage can only need stages listed before it",
            "p.yaml:6:56: needs must be a list of stage names, got a mapping"),
        problems(HEAD
            + "  - {name: a, uses: exec, with: {command: [x]}, needs: [a]}\n"
            + "  - {name: b, uses: exec, with: {command: [x]}, needs: [a, c]}\n"
            + "  - {name: c, uses: exec, with: {command: [x]}, needs: [b, aa]}\n"
            + "  - {name: d, uses: exec, with: {command: [x]}, needs: {x: y}}\n"));
  }

  @Test
  void needsAndAttachAreRead() {
    Pipeline pipeline = validator.validate("p.yaml", (HEAD
        + "  - {name: a, uses: exec, with: {command: [x]}}\n"
        + "  - {name: b, uses: exec, with: {command: [x], exclusive: false}, needs: a}\n"
        + "attach: {evidence: false}\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("a"), pipeline.stages().get(1).needs(), "one name reads as a list of one");
    assertEquals(new Pipeline.Attach(true, false), pipeline.attach());
    assertEquals(java.util.Set.of(0), StageGraph.of(pipeline.stages()).predecessors(1));
  }

  @Test
  void attachTakesTwoFlags() {
    assertEquals(List.of(
            "p.yaml:4:10: unknown key 'evidense', did you mean 'evidence'? (expected one of: evidence, verdict)",
            "p.yaml:4:35: attach.verdict must be true or false, got a string"),
        problems(HEAD + "  - {name: a, uses: exec, with: {command: [x]}}\nattach: {evidense: true, verdict: maybe}\n"));
  }

  @Test
  void theImageUserIsParsedStrictly() {
    assertEquals(List.of(
            "p.yaml:3:39: user '+0' is not USER[:GROUP] with a decimal id or a name in each; use a numeric non-root user such as 65532",
            "p.yaml:4:39: the image must not run as root; use a numeric non-root user such as 65532"),
        problems(HEAD + "  - {name: a, uses: jib, with: {user: \"+0\"}}\n  - {name: b, uses: jib, with: {user: \"000\"}}\n"));
  }

  @Test
  void timeoutMinutesBoundsTheStage() {
    assertEquals(List.of(
            "p.yaml:3:65: timeoutMinutes must be an integer between 1 and 1440, got 0",
            "p.yaml:4:65: timeoutMinutes must be an integer between 1 and 1440, got a string",
            "p.yaml:5:65: timeoutMinutes must be an integer between 1 and 1440, got 2000"),
        problems(HEAD
            + "  - {name: a, uses: exec, with: {command: [x]}, timeoutMinutes: 0}\n"
            + "  - {name: b, uses: exec, with: {command: [x]}, timeoutMinutes: x}\n"
            + "  - {name: c, uses: exec, with: {command: [x]}, timeoutMinutes: 2000}\n"));
  }

  @Test
  void aStageDeadlineComesFromTimeoutMinutesOrItsOwnTimeout() {
    Pipeline pipeline = validator.validate("p.yaml", (HEAD
        + "  - {name: a, uses: exec, with: {command: [x]}, timeoutMinutes: 5}\n"
        + "  - {name: b, uses: exec, with: {command: [x], timeoutSeconds: 600}}\n"
        + "  - {name: c, uses: shout, with: {message: hi}}\n").getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of(java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(15), java.time.Duration.ofMinutes(30)),
        pipeline.stages().stream().map(StageDeclaration::deadline).toList(),
        "an explicit limit wins; else the stage's own timeout and five minutes to wind down");
  }
}
