package dev.releasegate.cosign;

import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

/**
 * The sign stage's cost, run by {@code scripts/bench sign}: a cosign signature plus 10 attestations
 * written to a loopback registry, timed inside a real release (the stage's own duration). Prints
 * figures; asserts nothing.
 *
 * <p>The image is named by a fresh random digest each round (the test plug-in {@code fake-image}): the
 * sign stage never reads the image itself, only its {@code .sig} and {@code .att} tags, so each round
 * starts from empty tags as a first release does. Ten exec stages after it make the ten statements
 * about the image that get attached.
 *
 * <pre>SignBench REGISTRY ROUNDS</pre>
 */
public final class SignBench {
  private SignBench() {}

  public static void main(String[] args) throws Exception {
    String registry = args[0];
    int rounds = Integer.parseInt(args[1]);
    Path work = Files.createTempDirectory("sign-bench");
    Random random = new Random();
    StringBuilder pipeline = new StringBuilder("apiVersion: releasegate/v1\nimage:\n  repository: " + registry + "/signbench\nstages:\n");
    pipeline.append("  - {name: image, uses: fake-image, with: {digest: \"DIGEST\"}}\n");
    for (int i = 1; i <= 9; i++) {
      pipeline.append("  - {name: check").append(i).append(", uses: exec, with: {command: [\"true\"]}}\n");
    }
    pipeline.append("  - {name: sign, uses: sign}\n");
    Path key = TestKeys.write(work, "signer");
    CosignRegistry cosign = new CosignRegistry(RegistryAccess.open(registry + "/signbench", new RegistrySettings(true, Map.of(), line -> {})));
    for (int round = 1; round <= rounds; round++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String digest = "sha256:" + HexFormat.of().formatHex(bytes);
      Path project = TestRepos.create(work.resolve("p" + round), Map.of("releasegate.yaml", pipeline.toString().replace("DIGEST", digest)));
      ReleaseResult result = Releases.run(Releases.request(project, key, work.resolve("e" + round)).insecureRegistry(true).build()).result();
      StageEntry sign = result.stages().get(result.stages().size() - 1);
      if (result.status() != ReleaseStatus.RELEASED) {
        throw new IllegalStateException("the release failed: " + result.stages());
      }
      int attestations = cosign.read(AttachmentKind.ATTESTATIONS, digest).orElseThrow().layers().size();
      int signatures = cosign.read(AttachmentKind.SIGNATURES, digest).orElseThrow().layers().size();
      System.out.println("round " + round + ": sign stage " + sign.durationMs() + " ms: " + signatures + " signature, " + attestations + " attestations");
    }
    System.exit(0); // jib's HTTP client leaves non-daemon threads behind
  }
}
