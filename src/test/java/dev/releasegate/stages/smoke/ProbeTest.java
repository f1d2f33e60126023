package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a probe accepts and how it says what is wrong. */
class ProbeTest {
  private static final byte[] READY = "{\"status\":\"ready\",\"count\":3,\"nested\":{\"a\":[1,2]}}".getBytes(StandardCharsets.UTF_8);

  private static Probe probe(String status, String bodyContains, String jsonPath, String equals) {
    return new Probe("/p", status, Optional.ofNullable(bodyContains), Optional.ofNullable(jsonPath), Optional.ofNullable(equals));
  }

  @Test
  void statusClassesAndExactCodes() {
    assertTrue(Probe.statusMatches("2xx", 200));
    assertTrue(Probe.statusMatches("2xx", 299));
    assertFalse(Probe.statusMatches("2xx", 300));
    assertFalse(Probe.statusMatches("2xx", 199));
    assertTrue(Probe.statusMatches("503", 503));
    assertFalse(Probe.statusMatches("200", 204));
    assertTrue(Probe.statusMatches("4xx", 404));
  }

  @Test
  void defaultProbeAcceptsAny2xxWhateverTheBody() {
    assertEquals(List.of(), probe("2xx", null, null, null).mismatches(204, new byte[0]));
    assertEquals(List.of("status 503, expected 2xx"), probe("2xx", null, null, null).mismatches(503, READY));
  }

  @Test
  void bodyContainsIsAPlainSubstring() {
    assertEquals(List.of(), probe("2xx", "\"ready\"", null, null).mismatches(200, READY));
    assertEquals(List.of("body does not contain 'draining'"), probe("2xx", "draining", null, null).mismatches(200, READY));
  }

  @Test
  void jsonPointerComparesScalarsAsTextAndContainersAsCompactJson() {
    assertEquals(List.of(), probe("2xx", null, "/status", "ready").mismatches(200, READY));
    assertEquals(List.of(), probe("2xx", null, "/count", "3").mismatches(200, READY), "a number compares as its text");
    assertEquals(List.of(), probe("2xx", null, "/nested/a/1", "2").mismatches(200, READY), "pointers reach into arrays");
    assertEquals(List.of(), probe("2xx", null, "/nested", "{\"a\":[1,2]}").mismatches(200, READY));
    assertEquals(List.of(), probe("2xx", null, "/status", null).mismatches(200, READY), "without equals, presence is enough");
    assertEquals(List.of("/status is 'ready', expected 'starting'"), probe("2xx", null, "/status", "starting").mismatches(200, READY));
    assertEquals(List.of("no value at /missing"), probe("2xx", null, "/missing", null).mismatches(200, READY));
  }

  @Test
  void aBodyThatIsNotJsonFailsAJsonPathProbe() {
    assertEquals(List.of("body is not JSON"), probe("2xx", null, "/status", "ok").mismatches(200, "ok".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void everyMismatchIsReported() {
    assertEquals(List.of("status 500, expected 200", "body does not contain 'x'", "/status is 'ready', expected 'ok'"),
        probe("200", "x", "/status", "ok").mismatches(500, READY));
  }

  @Test
  void expectationReadsAsOneLine() {
    assertEquals("2xx", probe("2xx", null, null, null).expected());
    assertEquals("200, body contains 'ok', /status = 'ready'", probe("200", "ok", "/status", "ready").expected());
    assertEquals("2xx, /status present", probe("2xx", null, "/status", null).expected());
  }
}
