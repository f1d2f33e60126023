package dev.releasegate.stages.jib;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.registry.RegistryAccess;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the jib stage's time went: the project's build command, jib assembling the image into its tar,
 * then the push of that tar (or, in a dry run, keeping it on this machine), with what the push sent.
 *
 * @param buildCommand empty when a build earlier in the run made what the image holds, and none ran here
 * @param pushed empty in a dry run, which keeps the image instead
 */
record PhaseTimes(Optional<Duration> buildCommand, Duration containerize, Duration store, Optional<RegistryAccess.Pushed> pushed) {

  PhaseTimes {
    Objects.requireNonNull(buildCommand, "buildCommand");
    Objects.requireNonNull(containerize, "containerize");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(pushed, "pushed");
  }

  /** {@code build command 4.1 s, containerize 1.2 s, push 0.8 s (3 of 5 blobs uploaded, 24.9 KB)}. */
  String summary() {
    String stored = pushed.map(sent -> "push " + seconds(store) + " (" + sent.uploaded() + " of " + sent.blobs() + " blobs uploaded, "
        + bytes(sent.uploadedBytes()) + ")").orElse("keep " + seconds(store));
    return buildCommand.map(time -> "build command " + seconds(time)).orElse("built earlier in the run") + ", containerize "
        + seconds(containerize) + ", " + stored;
  }

  /** The same in milliseconds, for the provenance's run metadata. */
  ObjectNode json() {
    ObjectNode timings = Json.object();
    buildCommand.ifPresent(time -> timings.put("buildCommandMs", time.toMillis()));
    timings.put("containerizeMs", containerize.toMillis());
    return timings.put(pushed.isPresent() ? "pushMs" : "keepMs", store.toMillis());
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private static String bytes(long count) {
    if (count < 1000) {
      return count + " B";
    }
    return count < 1_000_000
        ? String.format(Locale.ROOT, "%.1f KB", count / 1000.0)
        : String.format(Locale.ROOT, "%.1f MB", count / 1_000_000.0);
  }
}
