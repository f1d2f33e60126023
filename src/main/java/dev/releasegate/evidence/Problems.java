package dev.releasegate.evidence;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems one verification of an evidence bundle finds, in the order found. Verification goes on
 * after a problem, so that a reader learns everything wrong with a bundle at once.
 */
final class Problems {
  private final List<String> lines = new ArrayList<>();

  /** Notes {@code file: check: message}: which file, which check it failed, and how. */
  void add(String file, String check, String message) {
    lines.add(file + ": " + check + ": " + message);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }
}
