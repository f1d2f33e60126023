package dev.releasegate.stages.test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.process.ProjectPaths;
import dev.releasegate.process.StageCommand;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.BuildOutputs;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.FreshBuild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the test command and reads the JUnit reports it wrote. The gate fails when the command fails,
 * any test fails, or reports were asked for and none were written by this run.
 */
final class TestStage implements Stage {
  /** Past this many names per list the statement keeps counts only for the rest. */
  static final int MAX_NAMES = 1000;

  private final TestOptions options;

  TestStage(TestOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    // Only the caller's build ran the tests; after a stage's own build, a later test stage still runs its command.
    Optional<BuildOutputs> built = context.findOutput(Outputs.BUILD).filter(BuildOutputs::byTheCaller);
    try {
      if (built.isPresent()) {
        // The build that runs releasegate (the Maven plug-in) has run the tests: read what it wrote, build nothing again.
        if (options.reports().isEmpty()) {
          // Nothing ran here: without reports this stage would pass having decided nothing.
          throw new InvalidInputException("the build that runs this release ran the tests, and this stage runs no command;"
              + " name their reports with 'reports' (e.g. target/surefire-reports/*.xml) so that it can decide");
        }
        context.progress("reading the test reports of the build that runs this release");
        StageResult.Builder result = decide(context, List.of(), BuildRun.alreadyRun(context), collectReports(context, built.get().startedAt()));
        return passed(result) ? result.output(Outputs.BUILD, built.get()).build() : result.build();
      }
      List<String> command = options.run().command();
      Path workingDirectory =
          ProjectPaths.inside(context.projectDirectory(), options.run().workingDirectory(), "workingDirectory");
      Instant started = Instant.now();
      if (options.build().isPresent()) {
        BuildRun.clearDependencies(context.projectDirectory(), options.build().get());
      }
      context.progress("running " + String.join(" ", command));
      StageCommand.Outcome run =
          StageCommand.run(context, command, workingDirectory, options.run().env(), options.run().timeout(), "output.log");
      StageResult.Builder result = decide(context, command, run, collectReports(context, started));
      if (options.build().isPresent() && passed(result)) {
        result.output(Outputs.BUILD, BuildRun.outputs(context.projectDirectory(), options.build().get(), started));
      }
      return result.build();
    } catch (IOException e) {
      throw new EnvironmentException("test stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  /** Only a build whose tests passed hands on what it built. */
  private static boolean passed(StageResult.Builder result) {
    return result.build().outcome() == StageResult.Outcome.PASSED;
  }

  /** Reports written by this run, copied into the bundle; stale ones from earlier builds are left out. */
  private Reports collectReports(StageContext context, Instant started) throws IOException {
    Reports reports = new Reports();
    Set<Path> seen = new LinkedHashSet<>();
    for (String pattern : options.reports()) {
      seen.addAll(ProjectPaths.glob(context.projectDirectory(), pattern));
    }
    Path project = context.projectDirectory().toAbsolutePath().normalize();
    for (Path file : seen) {
      if (!FreshBuild.writtenSince(file, started)) {
        reports.stale++;
        continue;
      }
      String relative = project.relativize(file).toString().replace('\\', '/');
      Artifact copy = context.artifacts().copy(file, "reports/" + relative);
      reports.artifacts.add(copy);
      try {
        reports.cases.addAll(JUnitReports.read(file));
      } catch (IOException e) {
        reports.unreadable.add(relative + ": " + e.getMessage());
      }
    }
    return reports;
  }

  private StageResult.Builder decide(StageContext context, List<String> command, StageCommand.Outcome run, Reports reports) {
    List<String> passed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (JUnitReports.TestCase test : reports.cases) {
      (switch (test.outcome()) {
        case PASSED -> passed;
        case FAILED -> failed;
        case SKIPPED -> skipped;
      }).add(test.name());
    }

    String rejection = null;
    if (run.result().timedOut()) {
      rejection = "test command timed out after " + options.run().timeout().toSeconds() + " s";
    } else if (run.result().exitCode() != 0) {
      rejection = "test command exited with " + run.result().exitCode()
          + (failed.isEmpty() ? "" : " (" + failed.size() + " failed test" + (failed.size() == 1 ? "" : "s") + ")");
    } else if (run.leftBehindMessage().isPresent()) {
      rejection = "test command " + run.leftBehindMessage().get();
    } else if (!failed.isEmpty()) {
      rejection = failed.size() + " test" + (failed.size() == 1 ? "" : "s") + " failed"
          + (command.isEmpty() ? " in the build that runs this release" : " although the command exited 0");
    } else if (!reports.unreadable.isEmpty()) {
      rejection = "cannot read test report " + reports.unreadable.get(0);
    } else if (!options.reports().isEmpty() && reports.artifacts.isEmpty()) {
      rejection = "no test reports found for " + String.join(", ", options.reports())
          + (reports.stale > 0 ? " (" + reports.stale + " stale report(s) from an earlier build ignored)" : "")
          + "; the tests may not have run";
    }

    ObjectNode predicate = Json.object();
    String result = rejection != null ? "FAILED" : skipped.isEmpty() ? "PASSED" : "WARNED";
    predicate.put("result", result);
    context.ci().flatMap(ci -> ci.url()).ifPresent(url -> predicate.put("url", url));
    ArrayNode configuration = predicate.putArray("configuration");
    ObjectNode commandDescriptor = configuration.addObject();
    commandDescriptor.put("name", "command");
    commandDescriptor.put("content",
        Base64.getEncoder().encodeToString(String.join(" ", command).getBytes(StandardCharsets.UTF_8)));
    ObjectNode annotations = commandDescriptor.putObject("annotations");
    command.forEach(annotations.putArray("argv")::add);
    annotations.put("workingDirectory", options.run().workingDirectory());
    annotations.put("timeoutSeconds", options.run().timeout().toSeconds());
    configuration.add(run.log().descriptor());
    reports.artifacts.forEach(artifact -> configuration.add(artifact.descriptor()));
    names(predicate.putArray("passedTests"), passed);
    names(predicate.putArray("warnedTests"), skipped);
    names(predicate.putArray("failedTests"), failed);
    predicate.putObject("counts")
        .put("total", reports.cases.size())
        .put("passed", passed.size())
        .put("failed", failed.size())
        .put("skipped", skipped.size())
        .put("reports", reports.artifacts.size())
        .put("staleReportsIgnored", reports.stale);
    predicate.put("exitCode", run.result().exitCode());
    predicate.put("timedOut", run.result().timedOut());

    String counts = passed.size() + " passed, " + failed.size() + " failed, " + skipped.size() + " skipped";
    StageResult.Builder builder =
        rejection == null ? StageResult.passed("tests passed: " + counts) : StageResult.rejected(rejection);
    failed.stream().limit(10).forEach(name -> builder.detail("failed: " + name));
    if (failed.size() > 10) {
      builder.detail("… and " + (failed.size() - 10) + " more failed tests");
    }
    if (reports.stale > 0 && rejection == null) {
      builder.warning(reports.stale + " stale test report(s) from an earlier build were ignored");
    }
    return builder.predicate(predicate);
  }

  private static void names(ArrayNode target, List<String> names) {
    names.stream().limit(MAX_NAMES).forEach(target::add);
  }

  private static final class Reports {
    final List<Artifact> artifacts = new ArrayList<>();
    final List<JUnitReports.TestCase> cases = new ArrayList<>();
    final List<String> unreadable = new ArrayList<>();
    int stale;
  }
}
