package dev.releasegate.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which names may be environments: tags that move, never tags that name a version or a commit. */
class PromotionTest {
  @Test
  void environmentsAreMovableTagNames() {
    for (String name : List.of("staging", "prod", "prod-eu", "qa_1", "Canary.2")) {
      assertEquals(Optional.empty(), Promotion.invalidEnvironment(name, List.of("1.0.0", "abc1234")), name);
    }
  }

  @Test
  void versionsCommitsLatestAndTheReleasesOwnTagsAreNot() {
    for (String name : List.of("1.0.0", "v2", "v10.1-rc1", "0", "abcdef1", "0123456789abcdef0123456789abcdef01234567", "latest", "sha256-"
        + "ab".repeat(32) + ".att", "stable-release")) {
      Optional<String> problem = Promotion.invalidEnvironment(name, List.of("stable-release"));
      assertTrue(problem.orElse("").startsWith("environment '" + name + "' looks like a version or commit tag"), name + ": " + problem);
    }
  }

  @Test
  void namesThatAreNoTagsAtAll() {
    for (String name : List.of("", "has space", "-dash", ".dot", "x".repeat(129), "ümlaut")) {
      assertTrue(Promotion.invalidEnvironment(name, List.of()).orElse("").endsWith("is not a valid tag (letters, digits, '_', '.', '-'; at most 128)"),
          name);
    }
  }
}
