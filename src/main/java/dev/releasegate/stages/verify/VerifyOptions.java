package dev.releasegate.stages.verify;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Optional;

/**
 * The verify stage's options, read once.
 *
 * @param requirePredicates the predicate types that must be attested; empty for those the sign stage attached
 */
record VerifyOptions(Optional<List<String>> requirePredicates) {

  VerifyOptions {
    requirePredicates = requirePredicates.map(List::copyOf);
  }

  static VerifyOptions from(StageOptions options) {
    return OptionProblems.valid(options, VerifyOptions::read);
  }

  /** Reads the options; the schema expresses every rule they follow, so nothing is reported. */
  static Optional<VerifyOptions> read(StageOptions options, OptionProblems problems) {
    return Optional.of(new VerifyOptions(
        options.has("requirePredicates") ? Optional.of(options.stringList("requirePredicates")) : Optional.empty()));
  }
}
