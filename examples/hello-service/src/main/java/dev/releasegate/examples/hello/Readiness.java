package dev.releasegate.examples.hello;

import java.util.concurrent.atomic.AtomicReference;

/** Whether load balancers should send traffic here; only ever moves forward, starting → ready → draining. */
final class Readiness {

    enum State {
        STARTING, READY, DRAINING;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);

    State current() {
        return state.get();
    }

    /** @return false when already draining: a shutdown that began must not be undone by a late start-up */
    boolean markReady() {
        return state.compareAndSet(State.STARTING, State.READY);
    }

    /** @return true only for the call that started draining */
    boolean startDraining() {
        return state.getAndSet(State.DRAINING) != State.DRAINING;
    }
}
