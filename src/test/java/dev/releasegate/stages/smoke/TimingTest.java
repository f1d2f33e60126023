package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps' times in the order they ran, and what the stage adds beyond the service's own start and stop. */
class TimingTest {
  @Test
  void totalsFollowTheStepsAndLeaveOutStartupStopAndPull() throws InterruptedException {
    Timing timing = new Timing();
    timing.put("pullMs", 40);
    timing.put("startupMs", 20);
    timing.put("stopMs", 10);
    Thread.sleep(100);
    ObjectNode node = timing.finish();
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("pullMs", "startupMs", "stopMs", "totalMs", "beyondStartupMs", "overheadMs"), names);
    long total = node.get("totalMs").asLong();
    assertTrue(total >= 100, node.toString());
    assertEquals(total - 20, node.get("beyondStartupMs").asLong());
    assertEquals(total - 20 - 10 - 40, node.get("overheadMs").asLong());
  }
}
