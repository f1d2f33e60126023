package dev.releasegate.stages.cyclonedx;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.Optional;

/**
 * The cyclonedx stage's options, read once.
 *
 * @param appRoot an absolute path below {@code /}; empty to take the image's working directory
 */
record CycloneDxOptions(Optional<String> appRoot) {

  CycloneDxOptions {
    if (appRoot.filter(CycloneDxOptions::invalid).isPresent()) {
      throw new IllegalArgumentException("appRoot must be an absolute path below /");
    }
  }

  static CycloneDxOptions from(StageOptions options) {
    return OptionProblems.valid(options, CycloneDxOptions::read);
  }

  /** Reads the options and reports an appRoot that is not absolute or is / itself. */
  static Optional<CycloneDxOptions> read(StageOptions options, OptionProblems problems) {
    Optional<String> appRoot = options.findString("appRoot");
    if (appRoot.filter(CycloneDxOptions::invalid).isPresent()) {
      problems.report("appRoot", "appRoot must be an absolute path below /, e.g. /app");
    }
    return problems.result(() -> new CycloneDxOptions(appRoot));
  }

  private static boolean invalid(String appRoot) {
    return !appRoot.startsWith("/") || appRoot.equals("/");
  }
}
