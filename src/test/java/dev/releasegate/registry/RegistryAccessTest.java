package dev.releasegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.testing.FlakyProxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A registry that drops its connections is given up on after releasegate's own retries, not jib's on top of them. */
class RegistryAccessTest {

  @Test
  @Timeout(120) // a guard against the old behaviour, which waited minutes; not a speed target
  void aRegistryThatDropsEveryRequestIsRetriedOnlyByReleasegatesOwnPolicy() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    try (FlakyProxy dropping = FlakyProxy.dropping()) {
      RegistryAccess access = RegistryAccess.open(dropping.address() + "/dropping", new RegistrySettings(true, Map.of(), log::add));

      EnvironmentException e = assertThrows(EnvironmentException.class, () -> access.digestOf("1.0"));

      assertTrue(e.getMessage().contains(dropping.address()), e.getMessage());
      assertEquals(List.of(), log.stream().filter(line -> line.contains("will be retried")).toList(), "jib retried on its own: " + log);
      assertEquals(4, log.stream().filter(line -> line.matches(".*retry \\d/4 in \\d+ ms")).count(), "releasegate's retries: " + log);
      assertEquals(5, dropping.count("dropped"::equals), "one request per attempt: " + dropping.seen());
    }
  }
}
