package dev.releasegate.cli;

import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.base.ReleasegateException;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.publish.Attachments;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The human view of a release, on stderr. On a terminal every running stage has a status line with a
 * spinner and its running time, redrawn in place below the log; elsewhere (CI logs) every event is one
 * plain line, prefixed with its stage.
 */
final class ConsoleDisplay implements ReleaseListener, AutoCloseable {
  private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

  /** How much the display says. */
  enum Verbosity {
    /** Failures, warnings, notices and the result: what needs a person's attention. */
    QUIET,
    NORMAL,
    /** Also every progress message as a line of its own, on a terminal too. */
    VERBOSE
  }

  private final PrintWriter err;
  private final boolean terminal;
  private final Verbosity verbosity;
  private final ScheduledExecutorService ticker;
  /** The running stages, in the order they started: their start time and last status. */
  private final Map<String, Running> running = new LinkedHashMap<>();
  private int frame;
  private int statusLines;
  /** Milliseconds since the JVM started: the one clock of the time line that ends a verbose run. */
  private final LongSupplier uptime;
  private long firstStageAt = -1;
  private long lastStageAt = -1;

  private static final class Running {
    final long start = System.nanoTime();
    String status = "";
  }

  ConsoleDisplay(PrintWriter err, boolean terminal) {
    this(err, terminal, Verbosity.NORMAL);
  }

  ConsoleDisplay(PrintWriter err, boolean terminal, Verbosity verbosity) {
    // A lambda, not a method reference: java.management is loaded only when a verbose run reads the clock.
    this(err, terminal, verbosity, () -> ManagementFactory.getRuntimeMXBean().getUptime());
  }

  ConsoleDisplay(PrintWriter err, boolean terminal, Verbosity verbosity, LongSupplier uptime) {
    this.err = err;
    this.uptime = uptime;
    this.terminal = terminal && verbosity != Verbosity.QUIET;
    this.verbosity = verbosity;
    if (this.terminal) {
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
    boolean quiet = verbosity == Verbosity.QUIET;
    if (event instanceof ReleaseEvent.RunStarted started) {
      if (!quiet) {
        line("releasegate: run " + started.runId() + ", stages: " + String.join(" → ", started.stages()));
      }
    } else if (event instanceof ReleaseEvent.Notice notice) {
      line("releasegate: " + notice.message());
    } else if (event instanceof ReleaseEvent.StageStarted started) {
      running.put(started.stage(), new Running());
      if (firstStageAt < 0 && verbosity == Verbosity.VERBOSE) {
        firstStageAt = uptime.getAsLong();
      }
      if (!quiet) {
        line("[" + started.index() + "/" + started.count() + "] " + started.stage() + " (" + started.type() + ")");
      }
    } else if (event instanceof ReleaseEvent.StageProgress progress) {
      Running stage = running.get(progress.stage());
      if (stage != null) {
        stage.status = progress.message();
      }
      if (!quiet && (!terminal || verbosity == Verbosity.VERBOSE)) {
        line("  " + progress.stage() + ": " + progress.message());
      }
    } else if (event instanceof ReleaseEvent.StageOutput output) {
      if (!quiet) {
        line("  " + output.stage() + " │ " + output.line());
      }
    } else if (event instanceof ReleaseEvent.StageWarning warning) {
      line("  " + warning.stage() + ": warning: " + warning.message());
    } else if (event instanceof ReleaseEvent.StageFinished finished) {
      running.remove(finished.stage().name());
      if (verbosity == Verbosity.VERBOSE) {
        lastStageAt = uptime.getAsLong();
      }
      finished(finished.stage(), finished.duration(), finished.cause());
    } else if (event instanceof ReleaseEvent.RunFinished finished) {
      var result = finished.result();
      String subject = result.digest().map(digest -> result.image().orElse("") + "@" + digest).orElse("");
      line(result.status().id().toUpperCase(Locale.ROOT) + (subject.isEmpty() ? "" : " " + subject)
          + (result.tags().isEmpty() ? "" : " tags " + String.join(", ", result.tags())));
      line("evidence: " + result.evidenceDirectory());
      if (verbosity == Verbosity.VERBOSE && firstStageAt >= 0 && lastStageAt >= 0) {
        line(timeLine(result.attachments().map(Attachments::durationMs).orElse(0L)));
      }
    }
  }

  /**
   * Where the run's time went, the stages' own phases being in their progress lines: {@code time: 6.5 s
   * since releasegate started: 0.8 s before the first stage (…), 5.4 s running stages, 0.1 s writing the
   * evidence, 0.3 s attaching}.
   */
  private String timeLine(long attachingMs) {
    long total = uptime.getAsLong();
    long stages = lastStageAt - firstStageAt;
    long writing = Math.max(0, total - lastStageAt - attachingMs);
    return "time: " + seconds(total) + " since releasegate started: " + seconds(firstStageAt)
        + " before the first stage (start-up, pipeline, work tree, signing key), " + seconds(stages) + " running stages, "
        + seconds(writing) + " writing the evidence" + (attachingMs > 0 ? ", " + seconds(attachingMs) + " attaching" : "");
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private void finished(StageEntry report, Duration duration, Optional<Throwable> cause) {
    String time = String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    if (report.status() == StageStatus.PASSED) {
      if (verbosity != Verbosity.QUIET) {
        line("  ✓ " + report.name() + " passed in " + time);
      }
    } else if (report.status() == StageStatus.CANCELLED) {
      line("  ⊘ " + report.name() + " cancelled after " + time + ": " + report.reason().orElse(""));
    } else if (report.status() == StageStatus.SKIPPED) {
      line("  - " + report.name() + " " + report.reason().orElse("skipped"));
    } else {
      line("  ✗ " + report.name() + " " + report.failure().map(kind -> kind.id()).orElse("failed") + " after " + time
          + ": " + report.reason().orElse(""));
      report.details().forEach(detail -> line("      " + detail));
      // The library's reason names no flag; what to do with this command line's flags is said here.
      cause.filter(ReleasegateException.class::isInstance).flatMap(failure -> ((ReleasegateException) failure).remedy())
          .ifPresent(remedy -> line("      what to do: " + Advice.of(remedy)));
    }
  }

  private void line(String text) {
    clearStatus();
    err.println(text);
    err.flush();
  }

  private synchronized void redraw() {
    clearStatus();
    if (running.isEmpty()) {
      return;
    }
    frame = (frame + 1) % SPINNER.length;
    StringBuilder lines = new StringBuilder();
    for (Map.Entry<String, Running> stage : running.entrySet()) {
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stage.getValue().start);
      String status = stage.getValue().status;
      String text = SPINNER[frame] + " " + stage.getKey() + " " + seconds + "s" + (status.isEmpty() ? "" : " · " + status);
      lines.append(lines.length() == 0 ? "" : "\n").append(text.length() > 120 ? text.substring(0, 120) : text);
    }
    err.print(lines);
    err.flush();
    statusLines = running.size();
  }

  /** Erases the status lines: the cursor is at the end of the last one. */
  private void clearStatus() {
    if (statusLines > 0) {
      TerminalWriter.control(err, "\r\033[2K" + "\033[1A\033[2K".repeat(statusLines - 1));
      statusLines = 0;
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
