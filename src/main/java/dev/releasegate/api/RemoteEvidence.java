package dev.releasegate.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The evidence bundles attached to an image in its registry, unpacked into a temporary folder that
 * {@link #close} deletes. Nothing here is verified yet: verify each bundle as a folder.
 *
 * @param image {@code repository@digest}
 * @param digest the image digest the bundles were found under; each must be about it
 * @param bundles one per evidence artifact that could be unpacked
 * @param unreadable one line per evidence artifact that could not: a verification failure
 */
public record RemoteEvidence(String image, String digest, Path folder, List<Bundle> bundles, List<String> unreadable)
    implements AutoCloseable {

  /** One evidence artifact: its manifest digest and where it was unpacked. */
  public record Bundle(String artifact, Path folder) {}

  public RemoteEvidence {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(folder, "folder");
    bundles = List.copyOf(bundles);
    unreadable = List.copyOf(unreadable);
  }

  /** True when the registry holds no evidence for the digest at all. */
  public boolean none() {
    return bundles.isEmpty() && unreadable.isEmpty();
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A temporary folder that cannot be removed is left to the system's cleanup.
    }
  }
}
