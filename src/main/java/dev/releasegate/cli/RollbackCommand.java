package dev.releasegate.cli;

import dev.releasegate.api.Releasegate;
import dev.releasegate.api.RollbackRequest;
import dev.releasegate.api.Trust;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollback", mixinStandardHelpOptions = true, header = "Put an environment back to an earlier release.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:rolled back",
      "1:refused (the rule is named)",
      "2:invalid input, or nothing to roll back to",
      "3:a registry unreachable or refusing a write"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password",
      "  COSIGN_PASSWORD                 password of --signing-key"},

    description = {
      "Put an environment back to the release it held before the current one (or to --to VERSION|DIGEST it held",
      "once), read from the verified promotion attestations, through every check of promote.",
      "Exit 0 rolled back, 1 refused (the rule is named), 2 invalid input or nothing to roll back to, 3 registry failure."
    })
final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REPO", description = "The repository whose environment tag moves.")
  String repository;

  @Option(names = "--env", paramLabel = "NAME", required = true, description = "The environment to roll back.")
  String environment;

  @Option(names = "--to", paramLabel = "VERSION|DIGEST", description = "A release the environment held once; default: the one before.")
  String to;

  @Option(names = "--promoter-key", paramLabel = "PUB", required = true, description = "The public key the promotions must be signed with.")
  Path promoterKey;

  @Mixin TrustOptions trust;

  @Mixin PromotionOptions options;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    RollbackRequest request = new RollbackRequest(repository, environment, Optional.ofNullable(to), new Trust.Key(promoterKey),
        trust.trust(), options.policy(), options.policyPath(), options.signing(), options.insecureRegistry, System.getenv());
    return options.print(Releasegate.rollback(request, line -> err.println("  " + line)), spec.commandLine().getOut());
  }
}
