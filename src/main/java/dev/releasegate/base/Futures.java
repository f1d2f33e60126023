package dev.releasegate.base;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/** Work done on another thread, waited for as if it had been done on this one. */
public final class Futures {
  private Futures() {}

  /** {@code task}, begun on a daemon thread of its own: a run that ends without its value does not wait for it. */
  public static <T> Future<T> begin(String threadName, Callable<T> task) {
    FutureTask<T> future = new FutureTask<>(task);
    Thread thread = new Thread(future, threadName);
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  /**
   * The task's value. What the task threw is thrown here as the waiting thread would have thrown it: an
   * unchecked exception, an error or an interruption as it is, any other exception as {@code checked}
   * makes it.
   */
  public static <T> T await(Future<T> future, Function<Exception, RuntimeException> checked) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw checked.apply((Exception) cause);
    }
  }
}
