package dev.releasegate.pipeline;

import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.StageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which stages of a pipeline must pass before each one may start. A stage waits for
 * <ul>
 *   <li>the last earlier stage that produces each output it requires,
 *   <li>the stages it names in {@code needs:},
 *   <li>the previous stage that uses the work tree, if it uses the work tree too (builds and tests never
 *       overlap),
 *   <li>every gate and the previous publisher, if it is a publisher (nothing is published before every
 *       gate passed, and publishers write one at a time, in file order).
 * </ul>
 * Everything else runs at the same time. Edges only point to earlier stages, so the graph has no cycle.
 */
public final class StageGraph {
  private final List<Set<Integer>> predecessors;

  private StageGraph(List<Set<Integer>> predecessors) {
    this.predecessors = predecessors;
  }

  public static StageGraph of(List<StageDeclaration> stages) {
    List<Set<Integer>> predecessors = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      StageDeclaration stage = stages.get(i);
      Set<Integer> before = new TreeSet<>();
      for (OutputKey<?> input : stage.factory().requires(stage.options())) {
        for (int j = i - 1; j >= 0; j--) {
          if (stages.get(j).factory().produces(stages.get(j).options()).contains(input)) {
            before.add(j);
            break;
          }
        }
      }
      for (String needed : stage.needs()) {
        for (int j = 0; j < i; j++) {
          if (stages.get(j).name().equals(needed)) {
            before.add(j);
          }
        }
      }
      if (stage.factory().usesWorkTree(stage.options())) {
        for (int j = i - 1; j >= 0; j--) {
          if (stages.get(j).factory().usesWorkTree(stages.get(j).options())) {
            before.add(j);
            break;
          }
        }
      }
      if (stage.kind() == StageKind.PUBLISHER) {
        boolean previousPublisher = false;
        for (int j = i - 1; j >= 0; j--) {
          if (stages.get(j).kind() == StageKind.GATE) {
            before.add(j);
          } else if (!previousPublisher) {
            before.add(j);
            previousPublisher = true;
          }
        }
      }
      predecessors.add(Set.copyOf(before));
    }
    return new StageGraph(List.copyOf(predecessors));
  }

  /** The stages (by position, from 0) that must pass before stage {@code index} starts. */
  public Set<Integer> predecessors(int index) {
    return predecessors.get(index);
  }

  public int size() {
    return predecessors.size();
  }
}
