package dev.releasegate.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What {@link Releasegate#verifyImage} checks beyond the signer, and how it reaches the registry.
 *
 * @param requiredPredicateTypes predicate types that must each be attested by a verified attestation
 * @param signedIdentity the repository legacy signature payloads must name, when the image is read from a
 *     mirror; by default the image's own repository
 * @param rekorPublicKey with key trust: every signature and attestation must carry a log entry whose SET
 *     verifies with this key (keylessly, the logs come from the trusted root)
 * @param insecureRegistry plain HTTP, for a loopback registry
 * @param environment where registry credentials are read from
 * @param log registry progress lines
 */
public record ImageVerification(
    Set<String> requiredPredicateTypes, Optional<String> signedIdentity, Optional<Path> rekorPublicKey, boolean insecureRegistry,
    Map<String, String> environment, Consumer<String> log) {
  public ImageVerification {
    requiredPredicateTypes = Set.copyOf(requiredPredicateTypes);
    Objects.requireNonNull(signedIdentity, "signedIdentity");
    Objects.requireNonNull(rekorPublicKey, "rekorPublicKey");
    environment = Map.copyOf(environment);
    Objects.requireNonNull(log, "log");
  }

  /** Nothing required beyond a signature, over TLS, credentials from {@code environment}, no progress lines. */
  public static ImageVerification of(Map<String, String> environment) {
    return new ImageVerification(Set.of(), Optional.empty(), Optional.empty(), false, environment, line -> {});
  }

  public ImageVerification requiring(Set<String> predicateTypes) {
    return new ImageVerification(predicateTypes, signedIdentity, rekorPublicKey, insecureRegistry, environment, log);
  }

  public ImageVerification signedIdentity(Optional<String> repository) {
    return new ImageVerification(requiredPredicateTypes, repository, rekorPublicKey, insecureRegistry, environment, log);
  }

  public ImageVerification rekorPublicKey(Optional<Path> key) {
    return new ImageVerification(requiredPredicateTypes, signedIdentity, key, insecureRegistry, environment, log);
  }

  public ImageVerification insecureRegistry(boolean insecure) {
    return new ImageVerification(requiredPredicateTypes, signedIdentity, rekorPublicKey, insecure, environment, log);
  }

  public ImageVerification log(Consumer<String> lines) {
    return new ImageVerification(requiredPredicateTypes, signedIdentity, rekorPublicKey, insecureRegistry, environment, lines);
  }
}
