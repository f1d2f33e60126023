package dev.releasegate.examples.hello;

import java.time.Duration;

/**
 * Counts requests being handled. Shutdown waits on this rather than on {@code HttpServer.stop}, which
 * on JDK 17 sleeps out its whole delay even when nothing is in flight (fixed in JDK 21, JDK-8304065).
 */
final class InFlightRequests {

    private int count;

    synchronized void enter() {
        count++;
    }

    synchronized void exit() {
        count--;
        if (count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** @return true when idle before the timeout ran out */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count > 0) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return false;
            }
            wait(remainingMillis);
        }
        return true;
    }
}
