package dev.releasegate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.CheckReport;
import dev.releasegate.api.Releasegate;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true, header = "Check what a release needs, without releasing.",
    description = {
      "Validate the pipeline file and look at everything a release needs: git, the signing key, isolation,",
      "the registry (reachable, credentials accepted) and every stage's programs with their versions.",
      "Nothing is built, written or signed."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:a release could run (warnings aside)",
      "2:invalid input: the pipeline file, the key or its password, the project",
      "3:a program, the registry or the runtime is missing or unreachable"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  COSIGN_PASSWORD                 password of --key",
      "  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password"})
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--project", paramLabel = "DIR", defaultValue = ".", description = "The project (default: .).")
  Path project;

  @Option(names = "--pipeline", paramLabel = "FILE", description = "Pipeline file; default: releasegate.yaml in the project, else the built-in.")
  Path pipeline;

  @Option(names = "--image", paramLabel = "REPO", description = "Image repository; overrides the pipeline file.")
  String image;

  @Option(names = "--key", paramLabel = "FILE", description = "The cosign private key a release would sign with.")
  Path key;

  @Option(names = "--keyless", description = "A release would sign keylessly (GitHub Actions).")
  boolean keyless;

  @Option(names = "--insecure-registry", description = "Allow plain HTTP to the registry (loopback registries).")
  boolean insecureRegistry;

  @Option(names = "--json", description = "Print the items as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (key != null && keyless) {
      throw new InvalidInputException("--key and --keyless exclude each other; check one of them");
    }
    CheckReport report = Releasegate.check(project, Optional.ofNullable(pipeline), Optional.ofNullable(image), Optional.ofNullable(key), keyless,
        insecureRegistry, System.getenv());
    if (json) {
      ObjectNode node = Json.object();
      ArrayNode items = node.putArray("items");
      report.items().forEach(item -> items.addObject().put("name", item.name()).put("status", item.status().name().toLowerCase(Locale.ROOT))
          .put("detail", Advice.say(item.detail(), item.remedy())));
      JsonOutput.print(out, node);
    } else {
      for (CheckReport.Item item : report.items()) {
        out.printf("%s %-10s %s%n", symbol(item.status()), item.name(), Advice.say(item.detail(), item.remedy()));
      }
    }
    out.flush();
    if (report.any(CheckReport.Status.INVALID)) {
      return Main.INVALID_INPUT;
    }
    return report.any(CheckReport.Status.UNAVAILABLE) ? Main.ENVIRONMENT : Main.RELEASED;
  }

  private static String symbol(CheckReport.Status status) {
    return switch (status) {
      case OK -> "✓";
      case WARNING -> "!";
      case INVALID, UNAVAILABLE -> "✗";
    };
  }
}
