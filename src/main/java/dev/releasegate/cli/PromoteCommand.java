package dev.releasegate.cli;

import dev.releasegate.api.PromoteRequest;
import dev.releasegate.api.Releasegate;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "promote", mixinStandardHelpOptions = true, header = "Promote a verified release to an environment.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:promoted (or already promoted)",
      "1:refused: the release does not verify or meet the policy, or another promotion won",
      "2:invalid input: environment name, key, password, policy",
      "3:a registry unreachable or refusing a write"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password",
      "  COSIGN_PASSWORD                 password of --signing-key"},

    description = {
      "Promote a released digest to an environment: verify it from its registry alone (signature, the verdict",
      "PASSED for this digest, the evidence under --policy), copy the image, its signatures, attestations and",
      "evidence to --to, point the environment tag at it and attach a signed promotion attestation.",
      "Exit 0 promoted, 1 not promoted (the reason is named), 2 invalid input, 3 registry unreachable or refusing."
    })
final class PromoteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF@DIGEST", description = "The released image, pinned by digest: REPOSITORY@sha256:…")
  String reference;

  @Option(names = "--to", paramLabel = "REPO", required = true, description = "The repository to promote to (may be the same one).")
  String destination;

  @Option(names = "--env", paramLabel = "NAME", required = true,
      description = "The environment tag to move, e.g. staging or prod; never a version or commit tag.")
  String environment;

  @Mixin TrustOptions trust;

  @Mixin PromotionOptions options;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PromoteRequest request = new PromoteRequest(reference, destination, environment, trust.trust(), options.policy(),
        options.policyPath(), options.signing(), options.insecureRegistry, System.getenv());
    return options.print(Releasegate.promote(request, line -> err.println("  " + line)), spec.commandLine().getOut());
  }
}
