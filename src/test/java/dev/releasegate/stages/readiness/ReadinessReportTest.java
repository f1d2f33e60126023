package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.image.ImageConfig;
import dev.releasegate.stages.readiness.ReadinessReport.Status;
import dev.releasegate.waivers.Waiver;
import dev.releasegate.waivers.WaiversFile;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Severity and waivers turn evaluations into the decision, the table and the statement's checks. */
class ReadinessReportTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 30);
  private static final String FILE = ".releasegate/readiness-waivers.yaml";

  private static final Evaluation ROOT = Evaluation.violated(LintRule.NON_ROOT, "user 0 is root");
  private static final Evaluation SHELL = Evaluation.violated(LintRule.MINIMAL, "/bin/sh", List.of("/bin/sh is in the image"));
  private static final Evaluation PORT = Evaluation.ok(LintRule.EXPOSED_PORT, "exposes 8080/tcp");
  private static final Evaluation TAGS = Evaluation.notApplicable(LintRule.NO_LATEST, "no tags given (option tags)");

  private static Waiver waiver(String id, LocalDate expires) {
    return new Waiver(id, Optional.empty(), "batch job, runs once as root by design", expires, 2);
  }

  private static List<Status> statuses(ReadinessReport report) {
    return report.results().stream().map(ReadinessReport.Result::status).toList();
  }

  @Test
  void errorsFailWarningsWarnAndTheRestPassOrDoNotApply() {
    ReadinessReport report = ReadinessReport.decide(List.of(ROOT, SHELL, PORT, TAGS), List.of(), TODAY);

    assertEquals(List.of(Status.FAIL, Status.WARN, Status.PASS, Status.NOT_APPLICABLE), statuses(report));
    assertFalse(report.passed());
    assertEquals("1 readiness check failed: RG-IMG-001 user 0 is root", report.summary());
    assertEquals(List.of("RG-IMG-001 Run as non-root user: user 0 is root; fix: set a numeric non-root user, e.g. 65532 (jib stage option user)"),
        report.details());
    assertEquals(List.of("RG-IMG-008 Distroless / minimal images: /bin/sh is in the image; fix: use a distroless base"), report.warnings());
  }

  @Test
  void warningsAloneDoNotReject() {
    ReadinessReport report = ReadinessReport.decide(List.of(SHELL, PORT, TAGS), List.of(), TODAY);
    assertTrue(report.passed());
    assertEquals("3 readiness checks: 1 pass, 1 warn, 1 n-a", report.summary());
  }

  @Test
  void anActiveWaiverAcceptsItsCheckThroughItsExpiryDay() {
    Waiver waiver = waiver("RG-IMG-001", TODAY);
    ReadinessReport report = ReadinessReport.decide(List.of(ROOT, PORT), List.of(waiver), TODAY);

    assertTrue(report.passed());
    assertEquals(List.of(Status.WAIVED, Status.PASS), statuses(report));
    assertEquals(Optional.of(waiver), report.results().get(0).waiver());
    assertEquals("2 readiness checks: 1 pass, 1 waived", report.summary());
    assertEquals("RG-IMG-001", report.waiversJson().at("/applied/0/id").asText());
    assertEquals("waived", report.checksJson().get(0).get("result").asText());
    assertEquals("batch job, runs once as root by design", report.checksJson().get(0).at("/waiver/reason").asText());
  }

  @Test
  void anExpiredWaiverNoLongerAppliesAndIsReported() {
    ReadinessReport report = ReadinessReport.decide(List.of(ROOT), List.of(waiver("RG-IMG-001", TODAY.minusDays(1))), TODAY);

    assertFalse(report.passed());
    assertEquals(List.of(Status.FAIL), statuses(report));
    assertEquals(List.of("waiver for RG-IMG-001 expired on 2026-06-29; it no longer applies"), report.warnings());
    assertEquals("2026-06-29", report.waiversJson().at("/expired/0/expires").asText());
  }

  @Test
  void aWaiverForAPassingCheckIsUnused() {
    ReadinessReport report = ReadinessReport.decide(List.of(PORT), List.of(waiver("RG-IMG-009", TODAY)), TODAY);
    assertEquals(List.of(Status.PASS), statuses(report));
    assertEquals(0, report.waiversJson().get("applied").size());
    assertEquals("RG-IMG-009", report.waiversJson().at("/unused/0/id").asText());
  }

  @Test
  void waiversMustNameACheck() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ReadinessReport.requireKnownIds(List.of(waiver("RG-IMG-001", TODAY), waiver("RG-IMG-999", TODAY)), FILE));
    assertEquals(FILE + ":2: waiver RG-IMG-999: no readiness check has this id (they are RG-IMG-001 to RG-IMG-012)", e.getMessage());
  }

  @Test
  void theWaiversFileHasTheScansRulesWithoutAPackageKey() {
    List<Waiver> waivers = WaiversFile.parse("waivers:\n  - {id: RG-IMG-001, reason: batch job, expires: 2026-12-31}\n"
        .getBytes(StandardCharsets.UTF_8), FILE, Optional.empty());
    assertEquals(List.of(new Waiver("RG-IMG-001", Optional.empty(), "batch job", LocalDate.of(2026, 12, 31), 2)), waivers);

    assertEquals(FILE + ":2:5: waiver 1 (RG-IMG-001): 'reason' is required",
        problems("waivers:\n  - {id: RG-IMG-001, expires: 2026-12-31}\n"));
    assertEquals(FILE + ":2:22: waiver 1 (RG-IMG-001): unknown key 'package' (allowed: id, reason, expires)",
        problems("waivers:\n  - {id: RG-IMG-001, package: x, reason: r, expires: 2026-12-31}\n"));
    assertEquals(FILE + ":2:5: waiver 1: expected a mapping with id, reason and expires", problems("waivers:\n  - RG-IMG-001\n"));
  }

  @Test
  void theTableShowsEveryCheckAndTheFixOfWhatDidNotPass() {
    List<String> table = ReadinessReport.decide(List.of(ROOT, SHELL, PORT), List.of(), TODAY).table();
    String seed = "%-40s";
    assertEquals(List.of(
        String.format("RESULT  ID          SEVERITY  " + seed + "  MEASURED", "SEED"),
        String.format("fail    RG-IMG-001  error     " + seed + "  user 0 is root", "Run as non-root user"),
        "        fix: set a numeric non-root user, e.g. 65532 (jib stage option user)",
        String.format("warn    RG-IMG-008  warn      " + seed + "  /bin/sh", "Distroless / minimal images"),
        "        - /bin/sh is in the image",
        "        fix: use a distroless base",
        String.format("pass    RG-IMG-009  warn      " + seed + "  exposes 8080/tcp", "Declare exposed ports")), table);
  }

  @Test
  void everyCheckIsRecordedWithItsWholeDescription() {
    ArrayNode checks = ReadinessReport.decide(List.of(ROOT, PORT), List.of(), TODAY).checksJson();
    JsonNode root = checks.get(0);
    assertEquals("RG-IMG-001", root.get("id").asText());
    assertEquals("runs as a non-root user", root.get("check").asText());
    assertEquals("Run as non-root user", root.get("seed").asText());
    assertEquals("error", root.get("severity").asText());
    assertEquals("fail", root.get("result").asText());
    assertEquals("user 0 is root", root.get("measured").asText());
    assertEquals(LintRule.NON_ROOT.fix(), root.get("fix").asText());
    assertTrue(root.get("findings").isArray());
    assertFalse(root.has("waiver"));
  }

  @Test
  void aSecretValueAppearsNowhereInTheReport() {
    ObjectNode config = LintTest.goodConfig();
    ((ArrayNode) config.at("/config/Env")).add("DB_PASSWORD=hunter2");
    ImageConfig image = LintTest.parse(config, false);
    ReadinessReport report = ReadinessReport.decide(
        Lint.evaluate(image, LintTest.cleanFiles(), new Lint.Policy(200, List.of())), List.of(), TODAY);

    assertEquals("1 readiness check failed: RG-IMG-002 secrets in ENV DB_PASSWORD", report.summary());
    String everything = String.join("\n", report.table()) + report.summary() + report.details() + report.warnings()
        + new String(Json.compact(report.checksJson()), StandardCharsets.UTF_8);
    assertTrue(everything.contains("ENV DB_PASSWORD: secret-like name with a value (value not shown)"), everything);
    assertFalse(everything.contains("hunter2"), everything);
  }

  private static String problems(String yaml) {
    return assertThrows(InvalidInputException.class,
        () -> WaiversFile.parse(yaml.getBytes(StandardCharsets.UTF_8), FILE, Optional.empty())).getMessage();
  }
}
