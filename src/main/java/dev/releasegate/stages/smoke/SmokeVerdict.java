package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.spi.StageResult;
import java.util.List;
import java.util.stream.Collectors;

/** The stage's result from its checks: passed when none failed, else rejected naming every failure. */
final class SmokeVerdict {
  private SmokeVerdict() {}

  /** {@code checks}: at least one, in the order they ran. */
  static StageResult of(List<SmokeCheck> checks, List<String> warnings, ObjectNode predicate) {
    List<SmokeCheck> failed = checks.stream().filter(SmokeCheck::failed).toList();
    long notRun = checks.stream().filter(check -> check.result() == SmokeCheck.Result.NOT_RUN).count();
    StageResult.Builder builder;
    if (failed.isEmpty()) {
      builder = StageResult.passed("all " + checks.size() + " checks passed ("
          + checks.get(0).measured() + ", " + checks.get(checks.size() - 1).measured() + ")");
    } else {
      builder = StageResult.rejected(failed.size() + " of " + checks.size() + " checks failed"
          + (notRun > 0 ? ", " + notRun + " not run" : "") + ": "
          + failed.stream().map(check -> check.name() + " (" + check.measured() + ")").collect(Collectors.joining(", ")));
      failed.forEach(check -> builder.detail(check.name() + ": expected " + check.expected() + ", measured " + check.measured()));
    }
    warnings.forEach(builder::warning);
    return builder.predicate(predicate).build();
  }
}
