package dev.releasegate.stages.smoke;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Futures;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Two daemon threads for the runtime calls of one smoke run: every runtime call takes 50 ms or more,
 * so calls that do not depend on each other overlap. Closing stops what still runs.
 */
final class Background implements AutoCloseable {
  private final ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
    Thread thread = new Thread(task, "releasegate-smoke");
    thread.setDaemon(true);
    return thread;
  });

  <T> Future<T> submit(Callable<T> task) {
    return executor.submit(task);
  }

  /** The task's value; what it threw is thrown here as the caller would have thrown it. */
  static <T> T await(Future<T> future) throws InterruptedException {
    return Futures.await(future, thrown -> thrown instanceof IOException io
        ? new EnvironmentException("smoke stage cannot write its evidence: " + io.getMessage(), io)
        : new IllegalStateException(thrown));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
