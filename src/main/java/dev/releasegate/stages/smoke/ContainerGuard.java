package dev.releasegate.stages.smoke;

import dev.releasegate.base.EnvironmentException;
import java.time.Duration;

/**
 * Makes sure the smoke container does not outlive the stage: removed when the stage ends however it
 * ends, and by a JVM shutdown hook when releasegate itself is stopped (SIGINT, SIGTERM) meanwhile.
 * The hook exists only while the container may exist.
 */
final class ContainerGuard implements AutoCloseable {
  /** How long the hook waits for a {@code run} already under way, whose container appears only when it returns. */
  private static final Duration RUN_WAIT = Duration.ofSeconds(30);

  private final ContainerRuntime runtime;
  private final String container;
  private final Thread hook;
  private boolean shuttingDown;
  private boolean runInFlight;
  private boolean removed;
  private long removeMs;

  private ContainerGuard(ContainerRuntime runtime, String container) {
    this.runtime = runtime;
    this.container = container;
    this.hook = new Thread(this::onShutdown, "releasegate-smoke-cleanup");
  }

  /** Registers the shutdown hook; call before the container is created. */
  static ContainerGuard install(ContainerRuntime runtime, String container) {
    ContainerGuard guard = new ContainerGuard(runtime, container);
    Runtime.getRuntime().addShutdownHook(guard.hook);
    return guard;
  }

  /**
   * Announces a {@code run}. False when the JVM is already shutting down: the hook has done its
   * removal, and a container created now would be left behind.
   */
  synchronized boolean beginRun() {
    if (shuttingDown) {
      return false;
    }
    runInFlight = true;
    return true;
  }

  synchronized void endRun() {
    runInFlight = false;
    notifyAll();
  }

  /**
   * Removes the container now and unregisters the hook.
   *
   * @throws EnvironmentException when the container still exists afterwards
   */
  void remove() throws InterruptedException {
    long started = System.nanoTime();
    ContainerRuntime.Result result = runtime.run(runtime.remove(container));
    // rm -f of a container that is already gone fails on docker and on older podman: what counts is that it is gone.
    if (!result.ok() && runtime.run(runtime.containerInspect(container)).ok()) {
      throw new EnvironmentException("cannot remove container " + container + ": " + result.error()
          + "; remove it with: " + runtime.name() + " rm -f " + container);
    }
    removeMs = (System.nanoTime() - started) / 1_000_000;
    removed = true;
    unhook();
  }

  long removeMs() {
    return removeMs;
  }

  /** Removes the container unless {@link #remove()} already did; keeps the caller's interrupt status. */
  @Override
  public void close() {
    if (removed) {
      return;
    }
    // An interrupted thread could not wait for rm; clear the flag for the removal and restore it after.
    boolean interrupted = Thread.interrupted();
    try {
      remove();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      unhook();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void unhook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shutdownUnderWay) {
      // The hook is running or has run; it removes the container itself.
    }
  }

  private void onShutdown() {
    boolean runWasInFlight;
    synchronized (this) {
      shuttingDown = true;
      runWasInFlight = runInFlight;
    }
    removeQuietly();
    if (runWasInFlight) {
      awaitRun();
      removeQuietly();
    }
  }

  /** Waits for the {@code run} under way to return, so that the container it creates can be removed. */
  private synchronized void awaitRun() {
    long deadline = System.nanoTime() + RUN_WAIT.toNanos();
    try {
      while (runInFlight) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** In the hook nobody is left to tell about a failure; the removal is all that matters. */
  private void removeQuietly() {
    try {
      runtime.run(runtime.remove(container));
    } catch (InterruptedException | RuntimeException e) {
      // Nothing to report to: the JVM is exiting.
    }
  }
}
