package dev.releasegate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.publish.Attachments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentences the command line and the Maven plug-in both say about a result, word for word. */
class ReleaseMessagesTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @TempDir Path work;

  private ReleaseResult result(ReleaseStatus status, List<RegistryWrite> writes, Optional<Attachments> attachments) {
    return new ReleaseResult(status, Optional.of("127.0.0.1:5000/hello"), Optional.of(DIGEST), List.of("1.0.0", "abc1234"),
        work.resolve("evidence"), List.of(), writes, attachments);
  }

  @Test
  void whatARunThatDidNotPassLeftBehindWithHowToFinishItInTheFrontEndsTerms() {
    assertEquals("nothing was written to the registry that a deployer's tool would accept\nevidence (signed, not released): " + work.resolve("evidence"),
        ReleaseMessages.leftBehind(result(ReleaseStatus.REJECTED, List.of(), Optional.empty()), "--resume"));
    RegistryWrite tag = new RegistryWrite("127.0.0.1:5000/hello", "1.0.0", DIGEST, Optional.empty());
    assertEquals("already written to the registry (remove each, or finish with --resume):\n  " + tag.where() + " -> " + DIGEST
        + "\n    remove: " + tag.removal() + "\nevidence (signed, not released): " + work.resolve("evidence"),
        ReleaseMessages.leftBehind(result(ReleaseStatus.FAILED, List.of(tag), Optional.empty()), "--resume"));
  }

  @Test
  void aMovedTagAndAFailedAttachmentAreSaidWithTheDigestAndTheTags() {
    ReleaseResult race = result(ReleaseStatus.RELEASED, List.of(),
        Optional.of(new Attachments(true, Optional.empty(), Optional.empty(), 1, List.of("1.0.0 now names sha256:b"))));
    assertEquals("TAG RACE: the release passed every gate and its tags were pushed, but another release moved them since:\n"
        + "  1.0.0 now names sha256:b\na deployer pulling these tags gets the other release's image, not this one; this run's verdict and"
        + " evidence stay attached to " + DIGEST + " only.\nrelease one repository from one place at a time (in GitHub Actions, a concurrency"
        + " group); the registry cannot refuse the second writer", ReleaseMessages.tagRace(race));
    ReleaseResult unattached = result(ReleaseStatus.RELEASED, List.of(),
        Optional.of(new Attachments(true, Optional.empty(), Optional.of("registry down"), 1, List.of())));
    assertEquals("released, but attaching the evidence to the image failed: registry down\nthe tags 1.0.0, abc1234 exist; finish with:"
        + " releasegate release --resume --evidence " + work.resolve("evidence"), ReleaseMessages.attachFailed(unattached, "releasegate release --resume --evidence " + work.resolve("evidence")));
  }

  @Test
  void aDryRunNamesItsImageLayoutOnlyWhenOneWasKept() throws Exception {
    ReleaseResult dryRun = result(ReleaseStatus.DRY_RUN, List.of(), Optional.empty());
    String evidence = work.resolve("evidence").toString();
    assertEquals("releasegate: DRY RUN: every gate passed for 127.0.0.1:5000/hello@" + DIGEST + "; nothing was pushed, tagged or signed\n"
        + "the evidence is signed with a key of the run's own (its signer.pub) and never verifies as a release: " + evidence,
        ReleaseMessages.dryRun(dryRun));
    Files.createDirectories(work.resolve("evidence-image"));
    assertEquals(true, ReleaseMessages.dryRun(dryRun).contains("\nthe image is in " + evidence + "-image (an OCI layout: podman pull oci:"
        + evidence + "-image)\n"), ReleaseMessages.dryRun(dryRun));
  }
}
