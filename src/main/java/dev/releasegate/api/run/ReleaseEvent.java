package dev.releasegate.api.run;

import dev.releasegate.evidence.StageEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Progress of a release, as it happens. The library reports; the caller decides what to show. */
public sealed interface ReleaseEvent {

  /** The pipeline is valid and the first stage is about to start. */
  record RunStarted(String runId, List<String> stages, Path evidenceDirectory) implements ReleaseEvent {
    public RunStarted {
      stages = List.copyOf(stages);
    }
  }

  /** Something the user should know about the run as a whole, e.g. why a resumed run starts over. */
  record Notice(String message) implements ReleaseEvent {}

  record StageStarted(String stage, String type, int index, int count) implements ReleaseEvent {}

  /** A short status line from the running stage. */
  record StageProgress(String stage, String message) implements ReleaseEvent {}

  /** One line of a subprocess's output, already redacted. */
  record StageOutput(String stage, String line) implements ReleaseEvent {}

  record StageWarning(String stage, String message) implements ReleaseEvent {}

  /**
   * A stage ended, as the evidence bundle records it; {@code cause} is the exception of a stage that could
   * not decide, for diagnosis.
   */
  record StageFinished(StageEntry stage, Duration duration, Optional<Throwable> cause) implements ReleaseEvent {}

  record RunFinished(ReleaseResult result) implements ReleaseEvent {}
}
