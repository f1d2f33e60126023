package dev.releasegate.evidence;

import dev.releasegate.base.Digests;
import dev.releasegate.base.Messages;
import dev.releasegate.spi.Artifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Each artifact and report the run record signs is in the bundle with the signed size and digest. */
final class ArtifactDigests {
  private final EvidenceFolder folder;
  private final Problems problems;

  ArtifactDigests(EvidenceFolder folder, Problems problems) {
    this.folder = folder;
    this.problems = problems;
  }

  void check(Artifact artifact) {
    // A path outside the bundle is the layout's problem; it is not followed here.
    if (!folder.isInside(artifact.path())) {
      return;
    }
    Path file = folder.resolve(artifact.path());
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      problems.add(artifact.path(), "artifact", "missing");
      return;
    }
    try {
      String actual = Digests.sha256Hex(file);
      if (!actual.equals(artifact.sha256()) || Files.size(file) != artifact.size()) {
        problems.add(artifact.path(), "digest", "sha256 " + actual + " does not match the signed " + artifact.sha256());
      }
    } catch (IOException e) {
      problems.add(artifact.path(), "artifact", "unreadable: " + Messages.firstLine(e));
    }
  }
}
