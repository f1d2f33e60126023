package dev.releasegate.stages.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import dev.releasegate.process.ProjectPaths;
import dev.releasegate.process.StageCommand;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Runs one command; exit 0 passes, anything else (or the deadline) rejects. */
final class ExecStage implements Stage {
  private final ExecOptions options;

  ExecStage(ExecOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    List<String> command = options.run().command();
    Path workingDirectory =
        ProjectPaths.inside(context.projectDirectory(), options.run().workingDirectory(), "workingDirectory");
    try {
      context.progress("running " + String.join(" ", command));
      StageCommand.Outcome run =
          StageCommand.run(context, command, workingDirectory, options.run().env(), options.run().timeout(), "output.log");

      ObjectNode predicate = Json.object();
      ArrayNode argv = predicate.putArray("command");
      command.forEach(argument -> argv.add(context.redact(argument)));
      predicate.put("workingDirectory", options.run().workingDirectory());
      predicate.put("exitCode", run.result().exitCode());
      predicate.put("timedOut", run.result().timedOut());
      ArrayNode leftBehind = predicate.putArray("leftBehind");
      run.leftBehind().forEach(leftBehind::add);
      predicate.put("durationMs", run.result().duration().toMillis());
      predicate.set("log", run.log().descriptor());
      ArrayNode outputs = predicate.putArray("outputs");
      Set<Path> files = new LinkedHashSet<>();
      for (String pattern : options.outputs()) {
        files.addAll(ProjectPaths.glob(context.projectDirectory(), pattern));
      }
      Path project = context.projectDirectory().toAbsolutePath().normalize();
      for (Path file : files) {
        ObjectNode output = outputs.addObject();
        output.put("name", project.relativize(file).toString().replace('\\', '/'));
        output.putObject("digest").put("sha256", Digests.sha256Hex(file));
      }

      String shown = String.join(" ", command);
      StageResult.Builder builder;
      if (run.result().timedOut()) {
        builder = StageResult.rejected("'" + shown + "' timed out after " + options.run().timeout().toSeconds() + " s");
      } else if (run.leftBehindMessage().isPresent()) {
        builder = StageResult.rejected("'" + shown + "' exited with " + run.result().exitCode() + " but " + run.leftBehindMessage().get());
      } else if (run.result().exitCode() != 0) {
        builder = StageResult.rejected("'" + shown + "' exited with " + run.result().exitCode());
      } else {
        builder = StageResult.passed("'" + shown + "' exited with 0");
      }
      if (!options.outputs().isEmpty() && files.isEmpty()) {
        builder.warning("no files matched outputs " + String.join(", ", options.outputs()));
      }
      return builder.predicate(predicate).build();
    } catch (IOException e) {
      throw new EnvironmentException("exec stage cannot write its evidence: " + e.getMessage(), e);
    }
  }
}
