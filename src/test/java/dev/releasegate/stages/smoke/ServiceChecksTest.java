package dev.releasegate.stages.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probes and the version check against a service on the loopback address. */
class ServiceChecksTest {
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private static final String SECRET = "s3cr3t-value";

  private HttpServer server;
  private final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    answer("/ok", 200, "{\"status\":\"ready\"}");
    answer("/error", 500, "boom " + SECRET);
    answer("/full", 200, "{\"revision\":\"" + COMMIT + "\",\"version\":\"1.2.0\"}");
    answer("/short", 200, "{\"revision\":\"0123456\",\"version\":\"1.1.0\"}");
    answer("/too-short", 200, "{\"revision\":\"012345\"}");
    answer("/text", 200, "revision " + COMMIT);
    answer("/no-revision", 200, "{\"commit\":\"" + COMMIT + "\"}");
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(String path, int status, String body) {
    server.createContext(path, exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
  }

  private List<SmokeCheck> check(List<Probe> probes, String versionPath, boolean ready) {
    ServiceHttp service = new ServiceHttp(server.getAddress().getPort(), text -> text.replace(SECRET, "***"));
    return new ServiceChecks(service, new ServiceChecks.Release(COMMIT, "1.2.0"), warnings::add)
        .check(probes, Optional.ofNullable(versionPath), ready);
  }

  private static Probe probe(String path, String status) {
    return new Probe(path, status, Optional.empty(), Optional.of("/status"), Optional.of("ready"));
  }

  @Test
  void probesPassOrSayWhatDiffersWithARedactedExcerpt() {
    List<SmokeCheck> checks = check(List.of(probe("/ok", "2xx"), probe("/error", "2xx")), null, true);
    assertEquals(List.of("probe /ok", "probe /error"), checks.stream().map(SmokeCheck::name).toList());
    assertEquals(SmokeCheck.Result.PASSED, checks.get(0).result());
    assertTrue(checks.get(0).measured().matches("200 in \\d+ ms"), checks.get(0).measured());
    SmokeCheck failed = checks.get(1);
    assertEquals(SmokeCheck.Result.FAILED, failed.result());
    assertTrue(failed.measured().matches("500 in \\d+ ms: status 500, expected 2xx; body is not JSON"), failed.measured());
    assertEquals("boom ***", failed.facts().get("bodyExcerpt").asText());
  }

  @Test
  void theFullRevisionOrAnAbbreviationOfSevenDigitsMatches() {
    SmokeCheck full = check(List.of(), "/full", true).get(0);
    assertEquals(SmokeCheck.Result.PASSED, full.result());
    assertEquals("revision " + COMMIT, full.measured());
    assertEquals("revision " + COMMIT + " from /full", full.expected());
    assertEquals(List.of(), warnings);

    assertEquals(SmokeCheck.Result.PASSED, check(List.of(), "/short", true).get(0).result());
    assertEquals(List.of("/short reports version '1.1.0', the release is '1.2.0'"), warnings);
    assertEquals(SmokeCheck.Result.FAILED, check(List.of(), "/too-short", true).get(0).result());
  }

  @Test
  void anAnswerWithoutARevisionFailsSayingWhy() {
    assertEquals("status 500", check(List.of(), "/error", true).get(0).measured());
    assertEquals("body is not JSON", check(List.of(), "/text", true).get(0).measured());
    assertEquals("no \"revision\" in the answer", check(List.of(), "/no-revision", true).get(0).measured());
    SmokeCheck missing = check(List.of(), "/missing", true).get(0);
    assertEquals("status 404", missing.measured());
  }

  @Test
  void nothingIsAskedOfAContainerThatNeverBecameReady() {
    List<SmokeCheck> checks = check(List.of(probe("/ok", "2xx")), "/full", false);
    assertEquals(List.of("probe /ok=not run", "version=not run"), checks.stream().map(check -> check.name() + "=" + check.result().id()).toList());
    assertEquals("not run: the container never became ready", checks.get(1).measured());
    assertEquals("revision " + COMMIT + " from /full", checks.get(1).expected());
  }
}
