package dev.releasegate.stages.jib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Remedy;
import dev.releasegate.pipeline.PipelineException;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageResult;
import dev.releasegate.testing.FakeStageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jib stage constructed directly, against a fake context: what it refuses and how a build that
 * fails decides, all before it asks a registry for the base image. Images are ImageIT's.
 */
class JibStageTest {
  /** A base by digest on a closed port: nothing here may reach it. */
  private static final String BASE = "127.0.0.1:1/base@sha256:" + "ba".repeat(32);

  @TempDir Path work;
  FakeStageContext context;

  @BeforeEach
  void context() {
    context = FakeStageContext.in(work, "build").image(new ImageSettings(Optional.of("127.0.0.1:1/hello"), Optional.of(BASE), Map.of(), true));
  }

  private Stage jib(String with) {
    return FakeStageContext.stage(work.resolve("pipeline"), "{name: build, uses: jib, with: " + with + "}");
  }

  @Test
  void withoutARepositoryOrABaseImageItRefusesToBuild() {
    context.image(new ImageSettings(Optional.empty(), Optional.of(BASE), Map.of(), true));
    InvalidInputException repository = assertThrows(InvalidInputException.class, () -> jib("{buildCommand: [\"true\"]}").run(context));
    assertEquals("no image repository", repository.problem());
    assertEquals(Optional.of(Remedy.GIVE_IMAGE_REPOSITORY), repository.remedy(), "the CLI names the flag");

    context.image(new ImageSettings(Optional.of("127.0.0.1:1/hello"), Optional.empty(), Map.of(), true));
    InvalidInputException base = assertThrows(InvalidInputException.class, () -> jib("{buildCommand: [\"true\"]}").run(context));
    assertEquals("no base image", base.problem());
    assertEquals(Optional.of(Remedy.GIVE_BASE_IMAGE), base.remedy(), "the CLI names the flag");
  }

  @Test
  void aSourceDateEpochThatIsNoNumberIsInvalidInput() {
    context.environment("SOURCE_DATE_EPOCH", "yesterday");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> jib("{buildCommand: [\"true\"]}").run(context));
    assertEquals("SOURCE_DATE_EPOCH must be a number of seconds, got 'yesterday'", e.getMessage());
  }

  @Test
  void aDryRunNeedsTheOciFormat() {
    context.dryRun(work.resolve("layout"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> jib("{buildCommand: [\"true\"], format: Docker}").run(context));
    assertEquals("a dry run keeps the image as an OCI image layout, so the jib stage must build format: OCI, not Docker", e.getMessage());
  }

  @Test
  void aFailingBuildRejectsWithItsExitCodeAndAProvenanceOfWhatRan() throws Exception {
    StageResult result = jib("{buildCommand: [sh, -c, \"echo compiling; exit 3\"]}").run(context);

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("the build exited with 3 (sh -c echo compiling; exit 3)", result.summary());
    JsonNode predicate = result.predicate();
    assertEquals("[\"sh\",\"-c\",\"echo compiling; exit 3\"]", predicate.at("/buildDefinition/externalParameters/buildCommand").toString());
    assertEquals(1, predicate.at("/buildDefinition/resolvedDependencies").size(), "the commit only: no base image was resolved");
    assertEquals("git+https://example.com/acme/service.git@" + FakeStageContext.GIT.commit(),
        predicate.at("/buildDefinition/resolvedDependencies/0/uri").asText());
    assertEquals("artifacts/build/build.log", predicate.at("/runDetails/byproducts/0/name").asText());
    assertTrue(context.artifact("build.log").contains("compiling"), context.artifact("build.log"));
  }

  @Test
  void aBaseImageThatCannotBeResolvedFailsTheStageOnlyOnceTheBuildHasPassed() {
    // The base is resolved while the build runs; its failure is the stage's once the build has passed.
    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> jib("{buildCommand: [sh, -c, \"mkdir -p target/classes/a && echo class > target/classes/a/App.class\"], mainClass: a.App}").run(context));
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    assertTrue(Files.isRegularFile(context.projectDirectory().resolve("target/classes/a/App.class")), "the build ran first");
  }

  @Test
  void aBuildThatLeavesNoClassesIsInvalidInput() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> jib("{buildCommand: [\"true\"]}").run(context));
    assertEquals("the build left no target/classes; set 'classes' in the jib stage to where the build writes classes", e.getMessage());
  }

  @Test
  void rootUsersAndBadPortsAreRefusedBeforeAnythingRuns() {
    PipelineException e = assertThrows(PipelineException.class, () -> jib("{user: \"0\", ports: [\"80/sctp\"], appRoot: app}"));
    assertEquals(List.of("the image must not run as root; use a numeric non-root user such as 65532",
            "port must be a number up to 65535, optionally /tcp or /udp: '80/sctp'", "appRoot must be an absolute path"),
        e.problems().stream().map(problem -> problem.substring(problem.indexOf(": ") + 2)).toList());
  }

  @Test
  void aBuildEarlierInTheRunIsWhatTheImageIsMadeOfAndNothingIsBuiltAgain() throws Exception {
    Path project = context.projectDirectory();
    Path classes = Files.createDirectories(project.resolve("target/classes/a"));
    Files.writeString(classes.resolve("App.class"), "token=s3cr3t-value");
    Files.writeString(project.resolve("target/app.jar"), "");
    context.secret("DEPLOY_TOKEN", "s3cr3t-value");
    context.output(Outputs.BUILD, new BuildOutputs(Instant.now(), project.resolve("target/classes"), List.of()));

    StageResult result = jib("{buildCommand: [sh, -c, \"touch built-again; exit 1\"], mainClass: a.App}").run(context);

    assertTrue(Files.notExists(project.resolve("built-again")), "the build command must not run");
    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals("target/classes/a/App.class holds DEPLOY_TOKEN: a secret of the release must never go into the image", result.summary(),
        "the earlier build's classes are what is checked and would go into the image");
    assertEquals("[]", result.predicate().at("/buildDefinition/externalParameters/buildCommand").toString());
    assertTrue(context.artifact("build.log").contains("nothing was built again"), context.artifact("build.log"));
  }

  @Test
  void aClassOlderThanTheBuildThatRunsTheReleaseIsRefusedWhoeverBuiltIt() throws Exception {
    Path project = context.projectDirectory();
    Path stale = Files.createDirectories(project.resolve("target/classes/a")).resolve("Removed.class");
    Files.writeString(stale, "compiled at another commit");
    Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    context.output(Outputs.BUILD, new BuildOutputs(Instant.now(), project.resolve("target/classes"), List.of()));

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> jib("{mainClass: a.App}").run(context));

    assertEquals("the build did not write target/classes/a/Removed.class in target/classes: an earlier build left them;"
        + " build from clean (e.g. mvn -B clean verify) so that the image holds only what this run built", e.getMessage());
  }

  @Test
  void aSecretInAJarOfTheLocalRepositoryIsNamedByWhereTheJarIs() throws Exception {
    Path project = context.projectDirectory();
    Files.createDirectories(project.resolve("target/classes/a"));
    Files.writeString(project.resolve("target/classes/a/App.class"), "clean");
    Path jar = Files.createDirectories(work.resolve("m2/org/example/lib/1.0")).resolve("lib-1.0.jar");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("config.properties"));
      zip.write("token=s3cr3t-value".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    context.secret("DEPLOY_TOKEN", "s3cr3t-value");
    context.output(Outputs.BUILD, new BuildOutputs(Instant.now(), project.resolve("target/classes"), List.of(jar)));

    StageResult result = jib("{mainClass: a.App}").run(context);

    assertEquals(StageResult.Outcome.REJECTED, result.outcome());
    assertEquals(jar.toAbsolutePath().normalize() + "!/config.properties holds DEPLOY_TOKEN: a secret of the release must never go into the image",
        result.summary());
  }
}
