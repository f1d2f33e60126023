package dev.releasegate.git;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Remedy;
import dev.releasegate.spi.GitFacts;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;

/** Reads the facts of a release from the git repository that holds the project. */
public final class GitFactsReader {
  private GitFactsReader() {}

  public static GitFacts read(Path projectDirectory) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(projectDirectory.toFile());
    if (builder.getGitDir() == null) {
      throw new InvalidInputException(
          projectDirectory + " is not inside a git repository; releasegate releases commits (run git init and commit)");
    }
    try (Repository repository = builder.build(); Git git = new Git(repository)) {
      ObjectId head = repository.resolve(Constants.HEAD);
      if (head == null) {
        throw new InvalidInputException("the repository at " + repository.getWorkTree() + " has no commit yet; commit first");
      }
      RevCommit commit;
      try (RevWalk walk = new RevWalk(repository)) {
        commit = walk.parseCommit(head);
      }
      String shortCommit = repository.newObjectReader().abbreviate(head, 7).name();
      return new GitFacts(
          head.name(),
          shortCommit,
          Instant.ofEpochSecond(commit.getCommitTime()),
          remote(repository),
          tagOnHead(repository, head),
          dirtyPaths(git));
    } catch (IOException | GitAPIException e) {
      throw new InvalidInputException("cannot read the git repository of " + projectDirectory + ": " + e.getMessage(), e);
    }
  }

  /** The {@code origin} remote, else the only remote; credentials removed. */
  private static Optional<String> remote(Repository repository) {
    var config = repository.getConfig();
    var remotes = config.getSubsections("remote");
    String name = remotes.contains("origin") ? "origin" : remotes.size() == 1 ? remotes.iterator().next() : null;
    if (name == null) {
      return Optional.empty();
    }
    String url = config.getString("remote", name, "url");
    return url == null ? Optional.empty() : Optional.of(stripCredentials(url));
  }

  /**
   * Removes passwords always, and user names from web URLs, where they are often tokens
   * ({@code https://TOKEN@host/…}). An ssh user such as {@code git@} is not a secret and stays.
   */
  public static String stripCredentials(String url) {
    try {
      URIish uri = new URIish(url);
      uri = uri.setPass(null);
      String scheme = uri.getScheme();
      if (scheme != null && (scheme.startsWith("http") || scheme.startsWith("ftp"))) {
        uri = uri.setUser(null);
      }
      return uri.toString();
    } catch (URISyntaxException e) {
      // Unparseable: keep nothing that could be a credential.
      int at = url.lastIndexOf('@');
      return at < 0 ? url : url.substring(at + 1);
    }
  }

  private static Optional<String> tagOnHead(Repository repository, ObjectId head) throws IOException {
    List<String> tags = new ArrayList<>();
    for (Ref ref : repository.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
      Ref peeled = repository.getRefDatabase().peel(ref);
      ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
      if (head.equals(target)) {
        tags.add(ref.getName().substring(Constants.R_TAGS.length()));
      }
    }
    if (tags.size() > 1) {
      throw new InvalidInputException("HEAD has several tags (" + String.join(", ", tags) + ")", Remedy.CHOOSE_VERSION);
    }
    return tags.stream().findFirst();
  }

  /** Changed tracked files and untracked, not-ignored files: anything that could reach the build. */
  private static List<String> dirtyPaths(Git git) throws GitAPIException {
    Status status = git.status().call();
    TreeSet<String> paths = new TreeSet<>(status.getUncommittedChanges());
    paths.addAll(status.getUntracked());
    return List.copyOf(paths);
  }
}
