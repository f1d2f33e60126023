package dev.releasegate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

/** Real git repositories in temporary folders, made with JGit. */
public final class TestRepos {
  /** A fixed commit time, so that tests can assert it. */
  public static final Instant COMMIT_TIME = Instant.parse("2026-01-02T03:04:05Z");

  private TestRepos() {}

  /** Writes {@code files} (path → content) under {@code dir}, then commits everything. */
  public static Path create(Path dir, Map<String, String> files) {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, String> file : files.entrySet()) {
        Path target = dir.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
      try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
        git.getRepository().getConfig().setString("remote", "origin", "url", "https://user:s3cret@example.test/acme/service.git");
        git.getRepository().getConfig().save();
        commitAll(git, "initial", COMMIT_TIME);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies a folder (without target/ and .git/) into a new repository and commits it. */
  public static Path copyOf(Path source, Path dir) {
    copy(source, dir, false);
    return create(dir, Map.of());
  }

  /**
   * Copies a built project (target/ included, .git/ not) into a new repository, with {@code files}
   * written over it, and commits it: a release of it need not compile again.
   */
  public static Path copyBuilt(Path source, Path dir, Map<String, String> files) {
    copy(source, dir, true);
    return create(dir, files);
  }

  /** Copies a folder whole, over what is there: an evidence bundle to tamper with. */
  public static void copyTree(Path from, Path to) {
    copy(from, to, true);
  }

  private static void copy(Path source, Path dir, boolean withTarget) {
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        Path relative = source.relativize(path);
        if (!withTarget && relative.startsWith("target") || relative.startsWith(".git")) {
          continue;
        }
        Path target = dir.resolve(relative.toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one file and commits it at {@link #COMMIT_TIME}. */
  public static void commit(Path dir, String path, String content, String message) {
    commit(dir, path, content, message, COMMIT_TIME);
  }

  /** Writes one file and commits it at {@code time}. */
  public static void commit(Path dir, String path, String content, String message, Instant time) {
    try (Git git = Git.open(dir.toFile())) {
      Path target = dir.resolve(path);
      Files.createDirectories(target.getParent());
      Files.writeString(target, content);
      commitAll(git, message, time);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void tag(Path dir, String name) {
    try (Git git = Git.open(dir.toFile())) {
      git.tag().setName(name).setAnnotated(false).call();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void commitAll(Git git, String message, Instant time) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    PersonIdent author = new PersonIdent("Test", "test@example.test", java.util.Date.from(time), TimeZone.getTimeZone(ZoneOffset.UTC));
    git.commit().setMessage(message).setAuthor(author).setCommitter(author).setSign(false).call();
  }
}
