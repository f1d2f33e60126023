package dev.releasegate.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Work waited for on another thread fails as it would have failed on this one. */
class FuturesTest {

  @Test
  void theValueComesBackFromItsOwnDaemonThread() throws InterruptedException {
    Future<String> begun = Futures.begin("futures-test", () -> Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon());
    assertEquals("futures-test true", Futures.await(begun, IllegalStateException::new));
  }

  @Test
  void anUncheckedExceptionAnErrorAndAnInterruptionAreThrownAsTheyWere() {
    EnvironmentException unchecked = new EnvironmentException("registry down");
    assertSame(unchecked, assertThrows(EnvironmentException.class,
        () -> Futures.await(Futures.begin("t", () -> { throw unchecked; }), IllegalStateException::new)));
    AssertionError error = new AssertionError("boom");
    assertSame(error, assertThrows(AssertionError.class,
        () -> Futures.await(Futures.begin("t", () -> { throw error; }), IllegalStateException::new)));
    InterruptedException interrupted = new InterruptedException("stopped");
    assertSame(interrupted, assertThrows(InterruptedException.class,
        () -> Futures.await(Futures.begin("t", () -> { throw interrupted; }), IllegalStateException::new)));
  }

  @Test
  void anyOtherCheckedExceptionIsWhatTheCallerMakesOfIt() {
    IOException io = new IOException("disk full");
    EnvironmentException made = assertThrows(EnvironmentException.class, () -> Futures.await(
        Futures.begin("t", () -> { throw io; }), thrown -> new EnvironmentException("cannot write: " + thrown.getMessage(), thrown)));
    assertEquals("cannot write: disk full", made.getMessage());
    assertSame(io, made.getCause());
  }
}
