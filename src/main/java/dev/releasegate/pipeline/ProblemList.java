package dev.releasegate.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Problems found in one pipeline file, reported together and in file order. */
final class ProblemList {
  /** More than this many is one mistake repeated, or a file that is not a pipeline; the rest are counted. */
  static final int MAX_SHOWN = 50;
  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  ProblemList(String file) {
    this.file = file;
  }

  record Problem(YamlNode.Location location, String message) {}

  void add(YamlNode.Location location, String message) {
    problems.add(new Problem(location, message));
  }

  int size() {
    return problems.size();
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Each problem as {@code file:line:column: message}, sorted by position; the first {@link #MAX_SHOWN}. */
  List<String> format() {
    List<String> all = problems.stream()
        .sorted(Comparator.comparing(Problem::location))
        .map(p -> file + ":" + p.location().line() + ":" + p.location().column() + ": " + p.message())
        .distinct()
        .toList();
    if (all.size() <= MAX_SHOWN) {
      return all;
    }
    List<String> shown = new ArrayList<>(all.subList(0, MAX_SHOWN));
    shown.add(file + ": " + (all.size() - MAX_SHOWN) + " more problems");
    return List.copyOf(shown);
  }
}
