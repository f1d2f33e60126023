package dev.releasegate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Actions examples against SchemaStore's github-workflow and github-action schemas, as
 * {@code @action-validator/cli} applies them ({@code scripts/test} installs it and names it in
 * {@code RELEASEGATE_ACTION_VALIDATOR}); a missing validator fails, it never skips.
 */
class ExamplesIT {
  @TempDir Path work;

  private static int validate(Path file, StringBuilder output) throws IOException, InterruptedException {
    String validator = System.getenv("RELEASEGATE_ACTION_VALIDATOR");
    assertNotNull(validator, "RELEASEGATE_ACTION_VALIDATOR is not set: run scripts/test, which installs @action-validator/cli");
    Process process = new ProcessBuilder(List.of(validator, file.toString())).redirectErrorStream(true).start();
    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("action-validator did not finish on " + file);
    }
    return process.exitValue();
  }

  @Test
  void theWorkflowAndTheActionValidate() throws Exception {
    for (Path file : List.of(Path.of("examples/github-actions/release.yml"), Path.of("examples/github-actions/action/action.yml"))) {
      StringBuilder output = new StringBuilder();
      assertEquals(0, validate(file, output), file + ": " + output);
    }
  }

  @Test
  void theValidatorRefusesAWorkflowWithAMistake() throws Exception {
    // The same workflow with one key misspelt: the check above could fail.
    String workflow = Files.readString(Path.of("examples/github-actions/release.yml")).replace("timeout-minutes:", "timeout-minuets:");
    Path broken = Files.writeString(work.resolve("release.yml"), workflow);
    StringBuilder output = new StringBuilder();
    assertNotEquals(0, validate(broken, output), output.toString());
  }
}
