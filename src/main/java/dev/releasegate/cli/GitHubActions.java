package dev.releasegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.Json;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.StageEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What a release tells GitHub Actions when it runs in a workflow ({@code GITHUB_ACTIONS=true}): step
 * outputs, a step summary, and error annotations for gate failures. Only the CLI writes these.
 */
final class GitHubActions {
  private final Map<String, String> environment;
  private final PrintWriter err;

  GitHubActions(Map<String, String> environment, PrintWriter err) {
    this.environment = environment;
    this.err = err;
  }

  boolean active() {
    return "true".equals(environment.get("GITHUB_ACTIONS"));
  }

  void report(ReleaseResult result) {
    if (!active()) {
      return;
    }
    for (StageEntry stage : result.stages()) {
      if (stage.status() == StageStatus.FAILED) {
        annotate("error", "releasegate: stage " + stage.name() + " " + stage.failure().map(kind -> kind.id()).orElse("failed"),
            stage.reason().orElse("") + (stage.details().isEmpty() ? "" : "\n" + String.join("\n", stage.details())));
      }
      stage.warnings().forEach(warning -> annotate("warning", "releasegate: stage " + stage.name(), warning));
    }
    try {
      append("GITHUB_OUTPUT", output("status", result.status().id())
          + output("digest", result.digest().orElse(""))
          + output("tags", String.join("\n", result.tags()))
          + output("evidence", result.evidenceDirectory().toString()));
      append("GITHUB_STEP_SUMMARY", summary(result));
    } catch (IOException e) {
      err.println("releasegate: cannot write the GitHub Actions outputs: " + e.getMessage());
    }
  }

  /** Annotates a run that could not start (bad pipeline, key, …). */
  void failure(String message) {
    if (active()) {
      annotate("error", "releasegate", message);
    }
  }

  private void annotate(String level, String title, String message) {
    err.println("::" + level + " title=" + escapeProperty(title) + "::" + escapeData(message));
    err.flush();
  }

  /** {@code key=value}, or the documented delimiter form when the value has line breaks. */
  static String output(String key, String value) {
    if (!value.contains("\n") && !value.contains("\r")) {
      return key + "=" + value + "\n";
    }
    String delimiter = "ghadelimiter_" + UUID.randomUUID();
    return key + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
  }

  private void append(String variable, String text) throws IOException {
    String file = environment.get(variable);
    if (file == null || file.isBlank()) {
      return;
    }
    Files.writeString(Path.of(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static String summary(ReleaseResult result) {
    StringBuilder md = new StringBuilder();
    md.append("## releasegate: ").append(result.status().id().toUpperCase(Locale.ROOT)).append("\n\n");
    result.digest().ifPresent(digest -> md.append("**Image:** `").append(result.image().orElse("")).append("@").append(digest).append("`  \n"));
    if (!result.tags().isEmpty()) {
      md.append("**Tags:** ").append(String.join(", ", result.tags().stream().map(tag -> "`" + tag + "`").toList())).append("  \n");
    }
    md.append("**Evidence:** `").append(result.evidenceDirectory()).append("`\n\n");
    md.append("| stage | type | status | duration |\n|---|---|---|---|\n");
    for (StageEntry stage : result.stages()) {
      md.append("| ").append(stage.name()).append(" | ").append(stage.type()).append(" | ")
          .append(switch (stage.status()) {
            case PASSED -> "✅ passed";
            case FAILED -> "❌ " + stage.failure().get().id();
            case CANCELLED -> "⊘ cancelled";
            case SKIPPED -> "⏭ skipped";
          })
          .append(" | ").append(String.format(Locale.ROOT, "%.1f s", stage.durationMs() / 1000.0)).append(" |\n");
    }
    for (StageEntry stage : result.stages()) {
      if (stage.type().equals("trivy") && stage.statement().isPresent()) {
        vulnerabilities(md, result.evidenceDirectory().resolve(stage.statement().get()));
      }
    }
    result.failedStage().ifPresent(failed -> {
      md.append("\n### Blocking: ").append(failed.name()).append("\n\n").append(failed.reason().orElse("")).append("\n");
      failed.details().forEach(detail -> md.append("- ").append(detail).append("\n"));
    });
    return md.append("\n").toString();
  }

  /** Counts by severity, before and after waivers, from the scan's signed statement. */
  private static void vulnerabilities(StringBuilder md, Path statement) {
    try {
      JsonNode predicate = Json.parse(DsseEnvelope.parse(Files.readAllBytes(statement)).payload()).get("predicate");
      JsonNode summary = predicate.at("/scanner/result/summary");
      if (!summary.isObject()) {
        return;
      }
      md.append("\n### Vulnerabilities\n\n| severity | found | after waivers |\n|---|---|---|\n");
      JsonNode before = summary.path("beforeWaivers");
      JsonNode after = summary.path("afterWaivers");
      for (Iterator<String> severities = before.fieldNames(); severities.hasNext(); ) {
        String severity = severities.next();
        md.append("| ").append(severity).append(" | ").append(before.path(severity).asInt()).append(" | ")
            .append(after.path(severity).asInt()).append(" |\n");
      }
    } catch (IOException | RuntimeException e) {
      md.append("\n(vulnerability counts unavailable: ").append(e.getMessage()).append(")\n");
    }
  }

  static String escapeData(String value) {
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  static String escapeProperty(String value) {
    return escapeData(value).replace(":", "%3A").replace(",", "%2C");
  }
}
