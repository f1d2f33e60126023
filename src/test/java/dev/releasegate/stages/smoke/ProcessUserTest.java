package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading who a container's process runs as, from /proc as the host sees it and from podman top. */
class ProcessUserTest {
  private static final String STATUS = "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t65532\t65532\t65532\t65532\n"
      + "Gid:\t65532\t65532\t65532\t65532\nCapEff:\t0000000000000000\nNoNewPrivs:\t1\n";

  @Test
  void rootfulContainerSharesTheHostsUids() {
    ProcessUser.ProcStatus status = ProcessUser.parse(STATUS, "         0          0 4294967295\n").orElseThrow();
    assertEquals(65532, status.uid());
    assertEquals(65532, status.hostUid());
    assertEquals("0000000000000000", status.capEff());
    assertTrue(status.noNewPrivs());
  }

  @Test
  void effectiveUidIsTheSecondField() {
    // A setuid program: real 1000, effective 0. Effective is what the kernel checks.
    ProcessUser.ProcStatus status = ProcessUser.parse("Uid:\t1000\t0\t0\t0\n", "0 0 4294967295").orElseThrow();
    assertEquals(0, status.uid());
  }

  @Test
  void rootlessRootIsMappedBackToRoot() {
    // Rootless podman: container root is host uid 1000, container 1.. are host 100000.. .
    String uidMap = "         0       1000          1\n         1     100000      65536\n";
    ProcessUser.ProcStatus root = ProcessUser.parse("Uid:\t1000\t1000\t1000\t1000\n", uidMap).orElseThrow();
    assertEquals(0, root.uid(), "the host uid 1000 must not pass for a non-root process");
    assertEquals(1000, root.hostUid());
    assertEquals(65532, ProcessUser.parse("Uid:\t165531\t165531\t165531\t165531\n", uidMap).orElseThrow().uid());
  }

  @Test
  void unmappedOrUnreadableGivesNothing() {
    assertEquals(Optional.empty(), ProcessUser.parse("Uid:\t5\t5\t5\t5\n", "0 1000 1\n"));
    assertEquals(Optional.empty(), ProcessUser.parse("Name:\tjava\n", "0 0 4294967295\n"));
    assertEquals(Optional.empty(), ProcessUser.read(0));
  }

  @Test
  void topGivesTheUserName() {
    assertEquals(Optional.of("nonroot"), ProcessUser.parseTop("USER        HUSER\nnonroot     65532\n"));
    assertEquals(Optional.of("root"), ProcessUser.parseTop("USER        HUSER\nroot        root\n"));
    assertEquals(Optional.empty(), ProcessUser.parseTop("USER        HUSER\n"));
    assertEquals(Optional.empty(), ProcessUser.parseTop("Error: no such container\n"));
  }

  @Test
  void configuredUserIsRootWhenEmptyZeroOrRoot() {
    assertTrue(ProcessUser.isRoot(""));
    assertTrue(ProcessUser.isRoot("0"));
    assertTrue(ProcessUser.isRoot("root"));
    assertTrue(ProcessUser.isRoot("0:1000"));
    assertFalse(ProcessUser.isRoot("65532"));
    assertFalse(ProcessUser.isRoot("nonroot:nonroot"));
    assertFalse(ProcessUser.isRoot("1000:0"), "group 0 is not user root");
  }
}
