package dev.releasegate.cosign;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The outcome of verifying a Sigstore bundle signed with a plain public key.
 *
 * @param problem why the bundle does not verify, empty when it does
 * @param integratedTime Unix seconds at which the transparency log integrated the entry, when checked
 */
public record KeyBundleVerification(Optional<String> problem, OptionalLong integratedTime) {
  public KeyBundleVerification {
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(integratedTime, "integratedTime");
  }

  public boolean verified() {
    return problem.isEmpty();
  }

  static KeyBundleVerification failed(String problem) {
    return new KeyBundleVerification(Optional.of(problem), OptionalLong.empty());
  }
}
