package dev.releasegate.base;

import java.util.regex.Pattern;

/**
 * An image pinned by digest: the only way stages refer to the image under release, so that what is
 * scanned, signed and run is the same bytes (invariant 1).
 *
 * @param repository registry host and path, without tag or digest, e.g. {@code 127.0.0.1:5000/hello}
 * @param digest {@code sha256:} followed by 64 lowercase hex digits
 */
public record ImageReference(String repository, String digest) {
  static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  static final Pattern REPOSITORY =
      Pattern.compile("[a-z0-9]+(?:[._:-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)+");

  public ImageReference {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + digest);
    }
    if (!isRepository(repository)) {
      throw new IllegalArgumentException("not a repository (host/path, no tag): " + repository);
    }
  }

  /** True for {@code host[:port]/path} without tag or digest. */
  public static boolean isRepository(String repository) {
    return repository != null && REPOSITORY.matcher(repository).matches();
  }

  /** The hex part of the digest. */
  public String hex() {
    return digest.substring("sha256:".length());
  }

  @Override
  public String toString() {
    return repository + "@" + digest;
  }
}
