package dev.releasegate.stages.readiness;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import dev.releasegate.stages.push.TagTemplates;
import dev.releasegate.waivers.WaiversFile;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The readiness stage's options, read once.
 *
 * @param maxImageMb the largest allowed image, compressed and uncompressed, in MB
 * @param tags the push stage's tag templates, for the "no latest" check; may be empty
 * @param waivers a waivers file relative to the project
 */
record ReadinessOptions(long maxImageMb, List<String> tags, Optional<String> waivers) {

  ReadinessOptions {
    if (maxImageMb < 1) {
      throw new IllegalArgumentException("maxImageMb must be at least 1");
    }
    tags = List.copyOf(tags);
    Objects.requireNonNull(waivers, "waivers");
  }

  static ReadinessOptions from(StageOptions options) {
    return OptionProblems.valid(options, ReadinessOptions::read);
  }

  /** Reads the options and reports a waivers file outside the project and each invalid tag template. */
  static Optional<ReadinessOptions> read(StageOptions options, OptionProblems problems) {
    Optional<String> waivers = options.findString("waivers");
    waivers.flatMap(WaiversFile::optionProblem).ifPresent(problem -> problems.report("waivers", problem));
    List<String> tags = options.stringList("tags");
    TagTemplates.check(tags, problems);
    return problems.result(() -> new ReadinessOptions(options.integer("maxImageMb"), tags, waivers));
  }
}
