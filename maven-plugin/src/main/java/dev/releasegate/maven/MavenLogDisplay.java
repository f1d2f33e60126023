package dev.releasegate.maven;

import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.ReleasegateException;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.apache.maven.plugin.logging.Log;

/**
 * A release's progress in the Maven log, line by line as the command line prints it in a CI log: the
 * library prints nothing itself. Failures are errors and warnings warnings, so that the build's log
 * shows them as Maven shows its own.
 */
final class MavenLogDisplay implements ReleaseListener {
  private final Log log;

  MavenLogDisplay(Log log) {
    this.log = log;
  }

  @Override
  public synchronized void on(ReleaseEvent event) {
    if (event instanceof ReleaseEvent.RunStarted started) {
      log.info("releasegate: run " + started.runId() + ", stages: " + String.join(" → ", started.stages()));
    } else if (event instanceof ReleaseEvent.Notice notice) {
      log.info("releasegate: " + notice.message());
    } else if (event instanceof ReleaseEvent.StageStarted started) {
      log.info("[" + started.index() + "/" + started.count() + "] " + started.stage() + " (" + started.type() + ")");
    } else if (event instanceof ReleaseEvent.StageProgress progress) {
      log.info("  " + progress.stage() + ": " + progress.message());
    } else if (event instanceof ReleaseEvent.StageOutput output) {
      log.info("  " + output.stage() + " │ " + output.line());
    } else if (event instanceof ReleaseEvent.StageWarning warning) {
      log.warn("  " + warning.stage() + ": " + warning.message());
    } else if (event instanceof ReleaseEvent.StageFinished finished) {
      finished(finished.stage(), finished.duration(), finished.cause());
    } else if (event instanceof ReleaseEvent.RunFinished finished) {
      ReleaseResult result = finished.result();
      String subject = result.digest().map(digest -> result.image().orElse("") + "@" + digest).orElse("");
      log.info(result.status().id().toUpperCase(Locale.ROOT) + (subject.isEmpty() ? "" : " " + subject)
          + (result.tags().isEmpty() ? "" : " tags " + String.join(", ", result.tags())));
      log.info("evidence: " + result.evidenceDirectory());
    }
  }

  private void finished(StageEntry stage, Duration duration, Optional<Throwable> cause) {
    String time = String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    if (stage.status() == StageStatus.PASSED) {
      log.info("  ✓ " + stage.name() + " passed in " + time);
    } else if (stage.status() == StageStatus.CANCELLED) {
      log.warn("  ⊘ " + stage.name() + " cancelled after " + time + ": " + stage.reason().orElse(""));
    } else if (stage.status() == StageStatus.SKIPPED) {
      log.info("  - " + stage.name() + " " + stage.reason().orElse("skipped"));
    } else {
      log.error("  ✗ " + stage.name() + " " + stage.failure().map(kind -> kind.id()).orElse("failed") + " after " + time
          + ": " + stage.reason().orElse(""));
      stage.details().forEach(detail -> log.error("      " + detail));
      // The library's reason names no parameter; what to do in this build's terms is said here.
      cause.filter(ReleasegateException.class::isInstance).flatMap(failure -> ((ReleasegateException) failure).remedy())
          .ifPresent(remedy -> log.error("      what to do: " + PomAdvice.of(remedy)));
    }
  }
}
