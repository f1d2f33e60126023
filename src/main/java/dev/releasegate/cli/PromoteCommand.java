package dev.releasegate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.EvidencePolicy;
import dev.releasegate.api.InvalidInputException;
import dev.releasegate.api.PromoteRequest;
import dev.releasegate.api.PromotionResult;
import dev.releasegate.api.Releasegate;
import dev.releasegate.evidence.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "promote", mixinStandardHelpOptions = true,
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

  @Option(names = "--policy", paramLabel = "FILE", description = "Demands on the release's evidence (as verify-evidence --policy).")
  Path policyFile;

  @Option(names = "--signing-key", paramLabel = "KEY",
      description = "The cosign private key that signs the promotion attestation; its password in COSIGN_PASSWORD.")
  Path signingKey;

  @Option(names = "--keyless-signing", description = "Sign the promotion attestation keylessly (GitHub Actions' OIDC identity).")
  boolean keylessSigning;

  @Option(names = "--insecure-registry", description = "Allow plain HTTP to the registries (loopback registries).")
  boolean insecureRegistry;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((signingKey == null) == !keylessSigning) {
      throw new InvalidInputException("sign the promotion with --signing-key KEY, or with --keyless-signing in GitHub Actions");
    }
    PromoteRequest.Trust trusted = trust.keyless()
        ? new PromoteRequest.Trust.Keyless(trust.certificateIdentity, trust.oidcIssuer, trust.trustedRoot)
        : new PromoteRequest.Trust.Key(trust.key);
    EvidencePolicy policy = policyFile == null ? EvidencePolicy.NONE : Releasegate.readPolicy(policyFile);
    PromoteRequest request = new PromoteRequest(reference, destination, environment, trusted, policy, Optional.ofNullable(policyFile),
        keylessSigning ? new PromoteRequest.Signing.Keyless() : new PromoteRequest.Signing.Key(signingKey), insecureRegistry, System.getenv());
    PromotionResult result = Releasegate.promote(request, line -> err.println("  " + line));
    if (json) {
      out.println(new String(Json.pretty(toJson(result)), StandardCharsets.UTF_8).strip());
    } else if (result.promoted()) {
      out.println(result.source() + ": " + (result.unchanged() ? "already promoted to " : "promoted to ") + result.destination()
          + result.previous().filter(previous -> !result.unchanged()).map(previous -> " (was " + previous + ")").orElse(""));
    } else {
      out.println(result.source() + ": NOT PROMOTED to " + result.destination());
      result.refusals().forEach(refusal -> out.println("  " + refusal));
    }
    out.flush();
    return result.promoted() ? Main.RELEASED : Main.REJECTED;
  }

  static ObjectNode toJson(PromotionResult result) {
    ObjectNode node = Json.object();
    node.put("promoted", result.promoted());
    node.put("source", result.source());
    node.put("destination", result.destination());
    node.put("previous", result.previous().orElse(null));
    node.put("unchanged", result.unchanged());
    result.refusals().forEach(node.putArray("refusals")::add);
    result.writes().forEach(write -> node.withArray("writes").addObject().put("reference", write.where()).put("digest", write.digest()));
    return node;
  }
}
