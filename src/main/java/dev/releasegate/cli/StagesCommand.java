package dev.releasegate.cli;

import dev.releasegate.api.Releasegate;
import dev.releasegate.api.StageType;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "stages", mixinStandardHelpOptions = true, header = "List the stage types on the class path.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed"},
    description = "List the stage types on the class path, built-in and plug-ins.")
final class StagesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<StageType> types = Releasegate.stageTypes();
    int width = types.stream().mapToInt(type -> type.type().length()).max().orElse(4);
    for (StageType type : types) {
      out.printf("%-" + width + "s  %s: %s%n", type.type(), type.kind(), type.description());
      out.printf("%-" + width + "s  predicate: %s%n", "", type.predicateType());
      out.printf("%-" + width + "s  from: %s%n", "", type.origin());
    }
    out.flush();
    return Main.RELEASED;
  }
}
