package dev.releasegate.api.run;

/** Receives {@link ReleaseEvent}s on the thread that runs the release. Must not throw. */
@FunctionalInterface
public interface ReleaseListener {
  ReleaseListener NONE = event -> {};

  void on(ReleaseEvent event);
}
