package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.Releasegate;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.Json;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageCheck;
import dev.releasegate.spi.StageCheck.Status;
import dev.releasegate.spi.StageDetails;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testplugin.ShoutStageFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageChecksTest {
  private static final StageReaders READERS = Releasegate.stageReaders();
  @TempDir static Path shared;
  static Path signer;
  static EvidenceView testRejected;
  static EvidenceView scanRejected;
  static EvidenceView full;

  @TempDir Path work;

  @BeforeAll
  static void bundles() {
    signer = TestKeys.write(shared, "signer");
    testRejected = EvidenceView.read(Bundles.testRejected(shared, signer));
    scanRejected = EvidenceView.read(Bundles.scanRejected(shared, signer));
    full = EvidenceView.read(Bundles.fullPipeline(shared.resolve("full"), signer));
  }

  @Test
  void testStageHasOneCheckPerTestAndAFailedSummary() {
    List<StageCheck> checks = StageChecks.of(testRejected.stages().get(0), READERS);

    assertEquals(List.of("com.acme.GreeterTest#escapes <b>&\"quotes\"", "com.acme.GreeterTest#later", "com.acme.GreeterTest#greets", "summary"),
        names(checks));
    assertEquals(List.of(Status.FAILED, Status.SKIPPED, Status.PASSED, Status.FAILED), statuses(checks));
    assertEquals(Optional.of("make this test pass, then release again; its report is under artifacts/test/reports/"), checks.get(0).fix());
    assertEquals("test command exited with 1 (1 failed test); 1 passed, 1 failed, 1 skipped in 1 report(s); exit code 1",
        checks.get(3).message());
    assertEquals(Optional.of("fix the failed tests, then release again"), checks.get(3).fix());
  }

  @Test
  void aStageThatDidNotRunIsOneSkippedCheck() {
    assertEquals(List.of(StageCheck.skipped("build", "not run: stage 'test' rejected the release")), StageChecks.of(testRejected.stages().get(1), READERS));
  }

  @Test
  void scanHasOneCheckPerBlockingFindingAndWaiverThenTheGate() {
    List<StageCheck> checks = StageChecks.of(scanRejected.stages().get(2), READERS);

    assertEquals(List.of("CVE-2019-14697 musl 1.1.20-r4", "waiver CVE-2019-14697 (musl-utils)", "waiver CVE-2018-0001 (zlib) expired", "scan gate"),
        names(checks));
    assertEquals(List.of(Status.FAILED, Status.WARNED, Status.WARNED, Status.FAILED), statuses(checks));
    assertEquals("CRITICAL CVE-2019-14697 in musl 1.1.20-r4 (testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4))", checks.get(0).message());
    assertEquals(Optional.of("upgrade musl to 1.1.20-r5 or later (for an OS package, rebuild on a patched base image)"), checks.get(0).fix());
    assertTrue(checks.get(1).message().contains("<b>not reachable</b> from the service (1 finding(s))"), checks.get(1).message());
    assertEquals("expired on 2020-01-01; it no longer applies", checks.get(2).message());
    assertEquals("1 blocking vulnerability (failOn CRITICAL): CVE-2019-14697 musl", checks.get(3).message());
  }

  @Test
  void lintHasOneCheckPerLintCheckWithItsFix() {
    List<StageCheck> checks = StageChecks.of(full.stages().get(4), READERS);

    assertEquals(12, checks.size());
    assertEquals("RG-IMG-001 runs as a non-root user", checks.get(0).name());
    assertEquals(StageCheck.passed("RG-IMG-001 runs as a non-root user", "user 65532"), checks.get(0));
    assertEquals(Status.SKIPPED, checks.get(11).status(), "RG-IMG-012 does not apply to an OCI image");
    assertEquals(11, checks.stream().filter(check -> check.status() == Status.PASSED).count());
  }

  @Test
  void aFailedLintCheckCarriesTheFixTheStatementRecords() {
    EvidenceView view = EvidenceView.read(Bundles.fullPipeline(work.resolve("lint"), signer, predicate -> {
      if (predicate.has("linter")) {
        ObjectNode first = (ObjectNode) predicate.get("checks").get(0);
        first.put("result", "fail").put("measured", "user root");
        first.putArray("findings").add("Config.User is empty");
      }
      return predicate;
    }));

    StageCheck check = StageChecks.of(view.stages().get(4), READERS).get(0);

    assertEquals(Status.FAILED, check.status());
    assertEquals("user root\n- Config.User is empty", check.message());
    assertEquals(Optional.of("set a numeric non-root user, e.g. 65532 (jib stage option user)"), check.fix());
  }

  @Test
  void smokeHasOneCheckPerSmokeCheck() {
    List<StageCheck> checks = StageChecks.of(full.stages().get(5), READERS);

    assertEquals(List.of("readiness", "startup", "probe /healthz", "probe /readyz", "version", "nonRoot", "gracefulStop"), names(checks));
    assertTrue(checks.stream().allMatch(check -> check.status() == Status.PASSED));
    assertEquals("expected exit 0 or 143 within 10 s of SIGTERM; measured exit 143 after 0.72 s", checks.get(6).message());
  }

  @Test
  void aFailedSmokeCheckSaysWhatToDo() {
    EvidenceView view = EvidenceView.read(Bundles.fullPipeline(work.resolve("smoke"), signer, predicate -> {
      if (predicate.has("hardening")) {
        ((ObjectNode) predicate.get("checks").get(6)).put("result", "failed").put("measured", "killed (exit 137) after 10.00 s");
      }
      return predicate;
    }));

    StageCheck check = StageChecks.of(view.stages().get(5), READERS).get(6);

    assertEquals(Status.FAILED, check.status());
    assertEquals(Optional.of("on SIGTERM, stop taking work and exit 0 (or 143) within stopTimeoutSeconds"), check.fix());
  }

  @Test
  void otherStagesAreOneDecision() {
    assertEquals(List.of(StageCheck.passed(StageChecks.DECISION, "passed")), StageChecks.of(full.stages().get(8), READERS), "push");
    assertEquals(List.of(StageCheck.passed(StageChecks.DECISION, "passed")), StageChecks.of(full.stages().get(2), READERS), "sbom");
  }

  @Test
  void aFailedStageWithoutFailedChecksGetsAFailedDecision() {
    StageView stage = new StageView(new StageEntry("registry", "push", StageKind.PUBLISHER, StageStatus.FAILED,
        Optional.of("registry 127.0.0.1:5000 is unreachable"), Optional.of(FailureKind.ENVIRONMENT), Optional.empty(), 12, Optional.empty(),
        Optional.empty(), Optional.empty(), List.of(), Json.object(), List.of(), List.of(), List.of()), Optional.empty(), Optional.empty(), Optional.empty());

    assertEquals(List.of(StageCheck.failed(StageChecks.DECISION, "environment: registry 127.0.0.1:5000 is unreachable",
        "the gate could not decide: fix the environment (tool, registry, runtime), then release again")), StageChecks.of(stage, READERS));
  }

  @Test
  void aReaderThatThrowsCostsItsOwnChecksNotTheReport() {
    StageFactory broken = new StageFactory() {
      @Override
      public String type() {
        return "shout";
      }

      @Override
      public String description() {
        return "a plug-in whose reader has a bug";
      }

      @Override
      public String predicateType() {
        return ShoutStageFactory.PREDICATE_TYPE;
      }

      @Override
      public StageKind kind() {
        return StageKind.GATE;
      }

      @Override
      public Optional<PredicateReader> predicateReader() {
        return Optional.of(new PredicateReader() {
          @Override
          public StageDetails details(JsonNode predicate) {
            throw new IllegalStateException("bug in a plug-in");
          }

          @Override
          public List<StageCheck> checks(Outcome stage, JsonNode predicate) {
            throw new NoClassDefFoundError("dev/example/Missing");
          }
        });
      }

      @Override
      public Stage create(StageOptions options) {
        throw new UnsupportedOperationException();
      }
    };
    StageView shout = EvidenceView.read(Bundles.scanReleased(work, signer)).stages().get(3);
    assertEquals("shout", shout.name());

    StageReaders readers = StageReaders.of(List.of(broken));

    assertEquals(List.of(StageCheck.warned("predicate", "the stage type's reader failed: NoClassDefFoundError: dev/example/Missing",
        Optional.empty())), StageChecks.of(shout, readers));
    assertEquals(List.of(new StageDetails.Fact("Unreadable", "the stage type's reader failed: IllegalStateException: bug in a plug-in")),
        readers.of(shout).orElseThrow().details(shout.predicate().orElseThrow()).facts());
  }

  private static List<String> names(List<StageCheck> checks) {
    return checks.stream().map(StageCheck::name).toList();
  }

  private static List<Status> statuses(List<StageCheck> checks) {
    return checks.stream().map(StageCheck::status).toList();
  }
}
