package dev.releasegate.base;

import java.util.Objects;
import java.util.Optional;

/**
 * One manifest a release put into a registry: under a tag (a version tag, {@code sha256-….sig}, a
 * referrers index) or by digest (a referrer).
 *
 * @param repository {@code host/path}
 * @param reference the tag, or the digest the manifest was put under
 * @param digest the manifest written
 * @param previous the manifest the tag named before, when it named one
 */
public record RegistryWrite(String repository, String reference, String digest, Optional<String> previous) {

  public RegistryWrite {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(previous, "previous");
  }

  public boolean byDigest() {
    return reference.startsWith("sha256:");
  }

  /** {@code repo:tag} or {@code repo@sha256:…}. */
  public String where() {
    return repository + (byDigest() ? "@" : ":") + reference;
  }

  /**
   * How to take the write back, in registry API terms (and crane's): put the previous manifest back
   * under the tag, or delete the tag, or the manifest written by digest.
   */
  public String removal() {
    String name = repository.substring(repository.indexOf('/') + 1);
    if (previous.isPresent()) {
      return "PUT manifest " + previous.get() + " back under tag " + reference + " (crane tag " + repository + "@" + previous.get() + " " + reference + ")";
    }
    if (byDigest()) {
      return "DELETE /v2/" + name + "/manifests/" + digest + " (crane delete " + where() + ")";
    }
    return "DELETE /v2/" + name + "/manifests/" + reference + " where the registry deletes tags; else DELETE /v2/" + name + "/manifests/"
        + digest + ", which removes that manifest and every tag on it (crane delete " + repository + "@" + digest + ")";
  }
}
