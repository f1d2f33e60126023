package dev.releasegate.pipeline;

import dev.releasegate.base.InvalidInputException;
import java.util.List;

/** A pipeline file that cannot run; carries every problem, each as {@code file:line:column: message}. */
public final class PipelineException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  PipelineException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
