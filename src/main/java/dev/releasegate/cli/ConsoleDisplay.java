package dev.releasegate.cli;

import dev.releasegate.api.ReleaseEvent;
import dev.releasegate.api.ReleaseListener;
import dev.releasegate.api.StageReport;
import dev.releasegate.api.StageStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The human view of a release, on stderr. On a terminal a status line with a spinner and the running
 * time of the stage is redrawn in place; elsewhere (CI logs) every event is one plain line.
 */
final class ConsoleDisplay implements ReleaseListener, AutoCloseable {
  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

  private final PrintWriter err;
  private final boolean terminal;
  private final ScheduledExecutorService ticker;
  private String stage;
  private String status = "";
  private long stageStart;
  private int frame;
  private boolean statusShown;

  ConsoleDisplay(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
    if (terminal) {
      ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "releasegate-display");
        thread.setDaemon(true);
        return thread;
      });
      ticker.scheduleAtFixedRate(this::redraw, 100, 100, TimeUnit.MILLISECONDS);
    } else {
      ticker = null;
    }
  }

  @Override
  public synchronized void on(ReleaseEvent event) {
    if (event instanceof ReleaseEvent.RunStarted started) {
      line("releasegate: run " + started.runId() + ", stages: " + String.join(" → ", started.stages()));
    } else if (event instanceof ReleaseEvent.Notice notice) {
      line("releasegate: " + notice.message());
    } else if (event instanceof ReleaseEvent.StageStarted started) {
      stage = started.stage();
      stageStart = System.nanoTime();
      status = "";
      line("[" + started.index() + "/" + started.count() + "] " + started.stage() + " (" + started.type() + ")");
    } else if (event instanceof ReleaseEvent.StageProgress progress) {
      status = progress.message();
      if (!terminal) {
        line("  " + progress.stage() + ": " + progress.message());
      }
    } else if (event instanceof ReleaseEvent.StageOutput output) {
      line("  " + output.stage() + " │ " + output.line());
    } else if (event instanceof ReleaseEvent.StageWarning warning) {
      line("  " + warning.stage() + ": warning: " + warning.message());
    } else if (event instanceof ReleaseEvent.StageFinished finished) {
      stage = null;
      finished(finished.report(), finished.duration());
    } else if (event instanceof ReleaseEvent.RunFinished finished) {
      var result = finished.result();
      String subject = result.digest().map(digest -> result.image().orElse("") + "@" + digest).orElse("");
      line(result.status().id().toUpperCase(Locale.ROOT) + (subject.isEmpty() ? "" : " " + subject)
          + (result.tags().isEmpty() ? "" : " tags " + String.join(", ", result.tags())));
      line("evidence: " + result.evidenceDirectory());
    }
  }

  private void finished(StageReport report, Duration duration) {
    String time = String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    if (report.status() == StageStatus.PASSED) {
      line("  ✓ " + report.name() + " passed in " + time);
    } else if (report.status() == StageStatus.SKIPPED) {
      line("  - " + report.name() + " " + report.reason().orElse("skipped"));
    } else {
      line("  ✗ " + report.name() + " " + report.failure().map(kind -> kind.id()).orElse("failed") + " after " + time
          + ": " + report.reason().orElse(""));
      report.details().forEach(detail -> line("      " + detail));
    }
  }

  private void line(String text) {
    clearStatus();
    err.println(text);
    err.flush();
  }

  private synchronized void redraw() {
    if (stage == null) {
      clearStatus();
      return;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stageStart);
    frame = (frame + 1) % SPINNER.length;
    String text = SPINNER[frame] + " " + stage + " " + seconds + "s" + (status.isEmpty() ? "" : " · " + status);
    err.print("\r\033[2K" + (text.length() > 120 ? text.substring(0, 120) : text));
    err.flush();
    statusShown = true;
  }

  private void clearStatus() {
    if (statusShown) {
      err.print("\r\033[2K");
      statusShown = false;
    }
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    clearStatus();
    err.flush();
  }
}
