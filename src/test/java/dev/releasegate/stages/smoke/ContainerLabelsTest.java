package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a leftover container's owner label is told from a live release's. */
class ContainerLabelsTest {
  private static final String SELF = ContainerLabels.owner(ProcessHandle.current()).orElseThrow();

  @Test
  void thisProcessIsAliveUnderItsOwnStartTime() {
    assertTrue(SELF.startsWith(ProcessHandle.current().pid() + "@"), SELF);
    assertTrue(ContainerLabels.ownerAlive(SELF));
    assertEquals(List.of("--label", "dev.releasegate.run=run-1", "--label", "dev.releasegate.owner=" + SELF),
        ContainerLabels.arguments("run-1"));
  }

  @Test
  void aPidReusedByAnotherProcessOrGoneIsNotTheOwner() {
    long pid = ProcessHandle.current().pid();
    assertFalse(ContainerLabels.ownerAlive(pid + "@1"), "same pid, another start: the pid was reused");
    assertFalse(ContainerLabels.ownerAlive(Long.MAX_VALUE + "@1"));
  }

  @Test
  void ownersThatCannotBeReadAreAliveToBeSafe() {
    assertTrue(ContainerLabels.ownerAlive("unknown"));
    assertTrue(ContainerLabels.ownerAlive(""));
    assertTrue(ContainerLabels.ownerAlive("x@1"));
  }
}
