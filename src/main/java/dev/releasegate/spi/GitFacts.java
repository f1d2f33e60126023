package dev.releasegate.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the release is made from, read from the repository at the start of the run.
 *
 * @param commit full lowercase hex object id of HEAD
 * @param shortCommit the unambiguous abbreviation git would print
 * @param commitTime the committer time of HEAD, the release's reproducible timestamp
 * @param source the remote URL with any credentials removed, if the repository has a remote
 * @param tag the tag on HEAD, if any
 * @param dirtyPaths tracked changes and untracked files; empty for a clean work tree
 */
public record GitFacts(
    String commit,
    String shortCommit,
    Instant commitTime,
    Optional<String> source,
    Optional<String> tag,
    List<String> dirtyPaths) {
  private static final Pattern SHA1 = Pattern.compile("[0-9a-f]{40}");

  public GitFacts {
    if (!SHA1.matcher(commit).matches()) {
      throw new IllegalArgumentException("commit must be 40 lowercase hex digits: " + commit);
    }
    if (!commit.startsWith(shortCommit) || shortCommit.length() < 7) {
      throw new IllegalArgumentException("short commit must abbreviate the commit: " + shortCommit);
    }
    Objects.requireNonNull(commitTime, "commitTime");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(tag, "tag");
    dirtyPaths = List.copyOf(dirtyPaths);
  }

  public boolean dirty() {
    return !dirtyPaths.isEmpty();
  }
}
