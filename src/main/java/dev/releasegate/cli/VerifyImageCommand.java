package dev.releasegate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.ImageReport;
import dev.releasegate.api.ImageVerification;
import dev.releasegate.api.Releasegate;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify-image", mixinStandardHelpOptions = true, header = "Verify an image's signatures and attestations in its registry.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:verified",
      "1:not verified (the reason is named)",
      "2:invalid input: no digest, bad key",
      "3:registry unreachable"},
    footerHeading = "%nEnvironment:%n",
    footer = {"  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password"},

    description = {
      "Verify the cosign signature and attestations of an image in its registry, as cosign verify and",
      "cosign verify-attestation would, with a key or keylessly (offline against a trusted root).",
      "Exit 0 verified, 1 not verified, 3 registry unreachable."
    })
final class VerifyImageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "REF@DIGEST", description = "The image, pinned by digest: REPOSITORY@sha256:…")
  String reference;

  @Mixin TrustOptions trust;

  @Option(names = "--require-predicate", paramLabel = "TYPE", description = "A predicate type that must be attested (repeatable).")
  List<String> requiredPredicates = List.of();

  @Option(names = "--signed-identity", paramLabel = "REPO",
      description = "The repository the signature must name, when the image is read from elsewhere (a mirror); default: its own.")
  String signedIdentity;

  @Option(names = "--rekor-public-key", paramLabel = "PUB",
      description = "With --key: also require and verify the Rekor bundle (SET) of each signature and attestation with this log key.")
  Path rekorPublicKey;

  @Option(names = "--insecure-registry", description = "Allow plain HTTP to the registry (loopback registries).")
  boolean insecureRegistry;

  @Option(names = "--json", description = "Print the result as one JSON object on stdout instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (trust.keyless() && rekorPublicKey != null) {
      throw new InvalidInputException("--rekor-public-key is for --key; keylessly, the Rekor keys come from --trusted-root");
    }
    ImageReport report = Releasegate.verifyImage(reference, trust.trust(), ImageVerification.of(System.getenv())
        .requiring(Set.copyOf(requiredPredicates)).signedIdentity(Optional.ofNullable(signedIdentity))
        .rekorPublicKey(Optional.ofNullable(rekorPublicKey)).insecureRegistry(insecureRegistry).log(line -> err.println("  " + line)));
    if (json) {
      ObjectNode node = Json.object().put("image", report.image()).put("verified", report.verified());
      report.signers().forEach(node.putArray("signers")::add);
      report.predicateTypes().forEach(node.putArray("attested")::add);
      ArrayNode accepted = node.putArray("accepted");
      for (ImageReport.Verified found : report.accepted()) {
        ObjectNode entry = accepted.addObject();
        found.predicateType().ifPresent(type -> entry.put("predicateType", type));
        entry.put("signer", found.signer()).put("format", found.format()).put("location", found.location());
      }
      report.failures().forEach(node.putArray("failures")::add);
      report.notes().forEach(node.putArray("notes")::add);
      JsonOutput.print(out, node);
    } else if (report.verified()) {
      out.println(report.image() + ": verified: signed by " + String.join(", ", report.signers()));
      report.accepted().forEach(found -> out.println("  " + found.predicateType().map(type -> "attested: " + type).orElse("signature")
          + " by " + found.signer() + " (" + found.format() + ", " + found.location() + ")"));
      report.notes().forEach(note -> out.println("  note: " + note));
    } else {
      out.println(report.image() + ": NOT VERIFIED");
      report.failures().forEach(failure -> out.println("  " + failure));
    }
    out.flush();
    return report.verified() ? Main.RELEASED : Main.REJECTED;
  }
}
