package dev.releasegate.stages;

import dev.releasegate.spi.Problems;
import dev.releasegate.spi.StageOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The problems found while a built-in stage reads its options into its typed record. One reader serves
 * both ends: the factory's {@code check} passes the validator's problems, so a user sees every problem at
 * its place; {@code create} gets options that passed {@code check}, so a problem there is a bug.
 */
public final class OptionProblems implements Problems {
  private final Problems problems;
  private boolean found;

  public OptionProblems(Problems problems) {
    this.problems = problems;
  }

  @Override
  public void report(String path, String message) {
    found = true;
    problems.report(path, message);
  }

  /** The record, made only when no problem was reported: its invariants hold for every record made. */
  public <T> Optional<T> result(Supplier<T> record) {
    return found ? Optional.empty() : Optional.of(record.get());
  }

  /** Reports each glob of {@code option} that is absolute or climbs out of the project. */
  public static void relativeGlobs(List<String> globs, String option, String what, Problems problems) {
    for (int i = 0; i < globs.size(); i++) {
      if (globs.get(i).startsWith("/") || globs.get(i).contains("..")) {
        problems.report(option + "[" + i + "]", what + " pattern must be relative to the project and stay inside it");
      }
    }
  }

  /** Reads options that passed {@code check}; throws, naming every problem, if they did not. */
  public static <T> T valid(StageOptions options, BiFunction<StageOptions, OptionProblems, Optional<T>> read) {
    List<String> problems = new ArrayList<>();
    Optional<T> record = read.apply(options, new OptionProblems((path, message) -> problems.add(path + ": " + message)));
    return record.filter(made -> problems.isEmpty())
        .orElseThrow(() -> new IllegalArgumentException("options that did not pass check: " + String.join("; ", problems)));
  }
}
