package dev.releasegate.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Remedy;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitFactsReaderTest {
  @TempDir Path dir;

  @Test
  void readsCommitTimeSourceAndTag() throws Exception {
    Path repo = TestRepos.create(dir.resolve("r"), Map.of("a.txt", "a", "sub/b.txt", "b"));
    TestRepos.tag(repo, "v1.4.0");
    GitFacts facts = GitFactsReader.read(repo.resolve("sub"));
    try (Git git = Git.open(repo.toFile())) {
      assertEquals(git.getRepository().resolve("HEAD").name(), facts.commit());
    }
    assertEquals(facts.commit().substring(0, 7), facts.shortCommit());
    assertEquals(TestRepos.COMMIT_TIME, facts.commitTime());
    assertEquals(Optional.of("https://example.test/acme/service.git"), facts.source());
    assertEquals(Optional.of("v1.4.0"), facts.tag());
    assertEquals(List.of(), facts.dirtyPaths());
  }

  @Test
  void untrackedAndModifiedFilesAreDirtyButIgnoredOnesAreNot() throws IOException {
    Path repo = TestRepos.create(dir.resolve("r"), Map.of("a.txt", "a", ".gitignore", "target/\n"));
    Files.createDirectories(repo.resolve("target"));
    Files.writeString(repo.resolve("target/out.class"), "x");
    assertEquals(List.of(), GitFactsReader.read(repo).dirtyPaths());
    Files.writeString(repo.resolve("a.txt"), "changed");
    Files.writeString(repo.resolve("new.txt"), "new");
    assertEquals(List.of("a.txt", "new.txt"), GitFactsReader.read(repo).dirtyPaths());
  }

  @Test
  void severalTagsOnHeadAreAmbiguous() {
    Path repo = TestRepos.create(dir.resolve("r"), Map.of("a.txt", "a"));
    TestRepos.tag(repo, "v1.0.0");
    TestRepos.tag(repo, "v1.0.1");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> GitFactsReader.read(repo));
    assertEquals("HEAD has several tags (v1.0.0, v1.0.1); give the release version to choose one", e.getMessage());
    assertEquals(Optional.of(Remedy.CHOOSE_VERSION), e.remedy());
  }

  @Test
  void notARepositoryOrNoCommit() throws Exception {
    Path plain = Files.createDirectories(dir.resolve("plain"));
    assertTrue(assertThrows(InvalidInputException.class, () -> GitFactsReader.read(plain)).getMessage()
        .endsWith("is not inside a git repository; releasegate releases commits (run git init and commit)"));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Git.init().setDirectory(empty.toFile()).call().close();
    assertTrue(assertThrows(InvalidInputException.class, () -> GitFactsReader.read(empty)).getMessage().endsWith("has no commit yet; commit first"));
  }

  @Test
  void credentialsAreStrippedFromRemotes() {
    assertEquals("https://github.com/acme/app.git", GitFactsReader.stripCredentials("https://x-access-token:ghp_abc@github.com/acme/app.git"));
    assertEquals("https://github.com/acme/app.git", GitFactsReader.stripCredentials("https://ghp_abc@github.com/acme/app.git"));
    assertEquals("ssh://git@example.test:22/acme/app.git", GitFactsReader.stripCredentials("ssh://git:pw@example.test:22/acme/app.git"));
    assertEquals("git@github.com:acme/app.git", GitFactsReader.stripCredentials("git@github.com:acme/app.git"));
  }
}
