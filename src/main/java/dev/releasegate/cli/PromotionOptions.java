package dev.releasegate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.PromoteRequest;
import dev.releasegate.api.PromotionResult;
import dev.releasegate.api.Releasegate;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.EvidencePolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What promote and rollback share: the policy, how the promotion is signed, and how the result is printed. */
final class PromotionOptions {
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

  EvidencePolicy policy() {
    return policyFile == null ? EvidencePolicy.NONE : Releasegate.readPolicy(policyFile);
  }

  PromoteRequest.Signing signing() {
    if ((signingKey == null) == !keylessSigning) {
      throw new InvalidInputException("sign the promotion with --signing-key KEY, or with --keyless-signing in GitHub Actions");
    }
    return keylessSigning ? new PromoteRequest.Signing.Keyless() : new PromoteRequest.Signing.Key(signingKey);
  }

  Optional<Path> policyPath() {
    return Optional.ofNullable(policyFile);
  }

  /** Prints the result; the exit code: 0 promoted, 1 not. */
  int print(PromotionResult result, PrintWriter out) {
    if (json) {
      JsonOutput.print(out, toJson(result));
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
