package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Polls the readiness path with backoff until 2xx, the deadline, or the container's exit. While
 * nothing answers, the runtime is asked in the background whether the container still runs, so
 * that a crash ends the wait early without slowing the polls.
 */
final class ReadinessWait {
  private static final Duration POLL_FIRST = Duration.ofMillis(25);
  private static final Duration POLL_MAX = Duration.ofMillis(250);
  private static final Duration POLL_REQUEST = Duration.ofSeconds(2);
  /** While nothing answers, how often the runtime is asked whether the container still runs. */
  private static final Duration STATE_EVERY = Duration.ofSeconds(1);

  private final ServiceHttp service;
  private final SmokeContainer container;
  private final Background background;
  private final Consumer<String> progress;

  ReadinessWait(ServiceHttp service, SmokeContainer container, Background background, Consumer<String> progress) {
    this.service = service;
    this.container = container;
    this.background = background;
    this.progress = progress;
  }

  /** Waits for {@code path}, at most {@code timeout} from {@code started} (a {@link System#nanoTime()}). */
  Readiness await(String path, Duration timeout, long started) throws InterruptedException {
    long timeoutSeconds = timeout.toSeconds();
    long deadline = started + timeout.toNanos();
    progress.accept("waiting for " + path + " (at most " + timeoutSeconds + " s)");
    long delay = POLL_FIRST.toNanos();
    long lastStateCheck = System.nanoTime();
    Future<JsonNode> state = null;
    int polls = 0;
    String last = "no answer";
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        polls++;
        try {
          ServiceHttp.Answer answer = service.get(path, Duration.ofNanos(Math.min(left, POLL_REQUEST.toNanos())));
          if (answer.status() / 100 == 2) {
            long millis = Timing.millisSince(started);
            return new Readiness(true, false, millis, polls, "ready after " + SmokeCheck.seconds(millis));
          }
          last = "last answer " + answer.status();
        } catch (IOException e) {
          last = "no answer (" + ServiceHttp.describe(e) + ")";
          if (state == null && System.nanoTime() - lastStateCheck >= STATE_EVERY.toNanos()) {
            state = background.submit(container::inspect);
          }
        }
        if (state != null && state.isDone()) {
          JsonNode current = Background.await(state).path("State");
          state = null;
          lastStateCheck = System.nanoTime();
          if (!current.path("Running").asBoolean(false)) {
            long millis = Timing.millisSince(started);
            return new Readiness(false, true, millis, polls,
                "container exited with " + current.path("ExitCode").asInt() + " after " + SmokeCheck.seconds(millis) + ", before it was ready");
          }
        }
        long sleep = Math.min(delay, deadline - System.nanoTime());
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        delay = Math.min(delay * 3 / 2, POLL_MAX.toNanos());
      }
    } finally {
      if (state != null) {
        state.cancel(true);
      }
    }
    return new Readiness(false, false, Timing.millisSince(started), polls, "not ready within " + timeoutSeconds + " s: " + last);
  }
}
