package dev.releasegate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.EnvironmentHistory;
import dev.releasegate.api.Releasegate;
import dev.releasegate.base.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true, header = "List the verified promotions of an environment.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:listed",
      "1:some promotion attestations did not verify",
      "2:invalid input",
      "3:registry unreachable"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password"},

    description = {
      "List the promotions of an environment, newest first, from the promotion attestations of the repository's",
      "images; only those signed by --key (or the keyless identity) count. Exit 0, or 1 when some did not verify."
    })
final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REPO", description = "The repository.")
  String repository;

  @Option(names = "--env", paramLabel = "NAME", required = true, description = "The environment.")
  String environment;

  @Mixin TrustOptions trust;

  @Option(names = "--insecure-registry", description = "Allow plain HTTP to the registry (loopback registries).")
  boolean insecureRegistry;

  @Option(names = "--json", description = "Print the history as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EnvironmentHistory history = Releasegate.history(repository, environment, trust.trust(), insecureRegistry, System.getenv(),
        line -> err.println("  " + line));
    if (json) {
      JsonOutput.print(out, toJson(history));
    } else {
      out.println(history.repository() + ":" + history.environment() + " now " + history.current().orElse("(no such tag)"));
      for (EnvironmentHistory.Promotion promotion : history.promotions()) {
        out.println("  " + promotion.promotedAt() + "  " + promotion.digest() + "  " + (promotion.version().isEmpty() ? "?" : promotion.version())
            + "  by " + promotion.signer() + promotion.ciUrl().map(url -> " (" + url + ")").orElse(""));
      }
      history.problems().forEach(problem -> out.println("  NOT VERIFIED: " + problem));
    }
    out.flush();
    return history.problems().isEmpty() ? Main.RELEASED : Main.REJECTED;
  }

  static ObjectNode toJson(EnvironmentHistory history) {
    ObjectNode node = Json.object().put("repository", history.repository()).put("environment", history.environment());
    node.put("current", history.current().orElse(null));
    ArrayNode promotions = node.putArray("promotions");
    for (EnvironmentHistory.Promotion promotion : history.promotions()) {
      ObjectNode entry = promotions.addObject().put("digest", promotion.digest()).put("previous", promotion.previous().orElse(null))
          .put("version", promotion.version()).put("commit", promotion.commit()).put("promotedAt", promotion.promotedAt().toString())
          .put("from", promotion.from()).put("signer", promotion.signer());
      promotion.ciUrl().ifPresent(url -> entry.put("ci", url));
    }
    history.problems().forEach(node.putArray("problems")::add);
    return node;
  }
}
