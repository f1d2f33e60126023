package dev.releasegate.cosign;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link ImageSignatureVerifier} found: one check per signature layer. The image counts as signed
 * when at least one layer passes every check (cosign's rule); the others' problems are still reported.
 *
 * @param imageDigest the image manifest digest that was checked
 * @param checks one per layer, in manifest order
 */
public record SignatureVerification(String imageDigest, List<SignatureCheck> checks) {

  /**
   * The check of one layer of the {@code .sig} manifest: one signature, and whether it counts.
   *
   * @param layer 1-based position in the manifest
   * @param problem why the layer does not count, empty when it does
   * @param signer the key id, or the certificate identity, that signed, when a signature verified
   * @param integratedTime Unix seconds at which Rekor logged the signature, when its SET verified
   */
  public record SignatureCheck(int layer, Optional<String> problem, Optional<String> signer, OptionalLong integratedTime) {
    public SignatureCheck {
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(integratedTime, "integratedTime");
    }

    public boolean passed() {
      return problem.isEmpty();
    }
  }

  public SignatureVerification {
    Objects.requireNonNull(imageDigest, "imageDigest");
    checks = List.copyOf(checks);
  }

  public boolean verified() {
    return checks.stream().anyMatch(SignatureCheck::passed);
  }

  /** The layers that passed. */
  public List<SignatureCheck> accepted() {
    return checks.stream().filter(SignatureCheck::passed).toList();
  }

  /**
   * One line per layer that failed, {@code signature N: why}; {@code no signatures for DIGEST} when
   * there was no layer at all.
   */
  public List<String> problems() {
    if (checks.isEmpty()) {
      return List.of("no signatures for " + imageDigest);
    }
    List<String> lines = new ArrayList<>();
    for (SignatureCheck check : checks) {
      check.problem().ifPresent(problem -> lines.add("signature " + check.layer() + ": " + problem));
    }
    return lines;
  }
}
