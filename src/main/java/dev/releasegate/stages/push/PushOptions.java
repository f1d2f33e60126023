package dev.releasegate.stages.push;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The push stage's options, read once.
 *
 * @param tags valid {@link TagTemplates}, at least one
 * @param lockTimeout how long to wait for another release on this machine tagging the same repository
 */
record PushOptions(List<String> tags, Duration lockTimeout) {

  PushOptions {
    tags = List.copyOf(tags);
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("tags must not be empty");
    }
    Objects.requireNonNull(lockTimeout, "lockTimeout");
  }

  static PushOptions from(StageOptions options) {
    return OptionProblems.valid(options, PushOptions::read);
  }

  /** Reads the options and reports empty tags and each invalid tag template. */
  static Optional<PushOptions> read(StageOptions options, OptionProblems problems) {
    List<String> tags = options.stringList("tags");
    if (tags.isEmpty()) {
      problems.report("tags", "tags must not be empty");
    }
    TagTemplates.check(tags, problems);
    return problems.result(() -> new PushOptions(tags, Duration.ofSeconds(options.integer("lockTimeoutSeconds"))));
  }
}
