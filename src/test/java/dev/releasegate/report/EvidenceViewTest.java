package dev.releasegate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.report.EvidenceView.StageView;
import dev.releasegate.stages.test.TestStageFactory;
import dev.releasegate.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceViewTest {
  @TempDir static Path shared;
  static Path signer;
  static Path rejected;

  @TempDir Path work;

  @BeforeAll
  static void bundles() {
    signer = TestKeys.write(shared, "signer");
    rejected = Bundles.testRejected(shared, signer);
  }

  @Test
  void readsTheRunRecordAndEveryPredicateOfARealRejectedRun() {
    EvidenceView view = EvidenceView.read(rejected);

    assertEquals("rejected", view.status());
    assertEquals(Optional.of("stage 'test': test command exited with 1 (1 failed test)"), view.reason());
    assertEquals(Optional.of("1.2.3"), view.version());
    assertEquals(Optional.of("https://example.test/acme/service.git"), view.git().source());
    assertTrue(view.signerKeyId().orElseThrow().matches("[0-9a-f]{64}"));
    assertEquals(List.of("test", "build", "shout"), view.stages().stream().map(StageView::name).toList());
    StageView test = view.stages().get(0);
    assertTrue(test.failed());
    assertEquals(Optional.of(FailureKind.REJECTED), test.entry().failure());
    assertEquals(Optional.of(TestStageFactory.PREDICATE_TYPE), test.entry().predicateType());
    assertEquals("FAILED", test.predicate().orElseThrow().path("result").asText());
    assertTrue(view.stages().get(1).skipped());
    assertEquals(Optional.empty(), view.stages().get(1).predicate(), "a stage that did not run has no statement");
    assertEquals(List.of(), view.problems());
  }

  @Test
  void readsTheFullPipeline() {
    EvidenceView view = EvidenceView.read(Bundles.fullPipeline(work.resolve("full"), signer));

    assertEquals("released", view.status());
    assertEquals(Optional.of(Bundles.DEMO_IMAGE.toString()), view.imageReference());
    assertEquals(List.of("1.0.0", "a4ad2f7"), view.tags());
    assertEquals(Optional.of(Bundles.CI_URL), view.ci().orElseThrow().url());
    assertEquals("4242", view.ci().orElseThrow().facts().get("GITHUB_RUN_ID"));
    assertEquals(9, view.stages().size());
    view.stages().stream().filter(stage -> !stage.skipped())
        .forEach(stage -> assertTrue(stage.predicate().isPresent(), stage.name()));
    assertEquals(13, view.stages().get(2).predicate().orElseThrow().path("components").size());
  }

  @Test
  void aMissingStatementIsReportedAndTheRestIsStillRead() throws IOException {
    Path bundle = Bundles.fullPipeline(work.resolve("partial"), signer);
    Files.delete(bundle.resolve("statements/05-lint.dsse.json"));
    Files.writeString(bundle.resolve("statements/06-smoke.dsse.json"), "{not json");

    EvidenceView view = EvidenceView.read(bundle);

    assertEquals(2, view.problems().size(), view.problems().toString());
    assertEquals("statements/05-lint.dsse.json: missing", view.problems().get(0));
    assertTrue(view.problems().get(1).startsWith("statements/06-smoke.dsse.json: "), view.problems().toString());
    assertEquals(Optional.empty(), view.stages().get(4).predicate());
    assertEquals(Optional.of("statements/05-lint.dsse.json: missing"), view.stages().get(4).problem());
    assertTrue(view.stages().get(8).predicate().isPresent(), "later statements are still read");
  }

  @Test
  void aStatementPathThatLeavesTheBundleIsNotRead() throws IOException {
    Path bundle = Bundles.fullPipeline(work.resolve("escape"), signer);
    Files.writeString(work.resolve("secret.json"), "{\"payloadType\":\"x\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AA==\"}]}");
    ObjectNode index = (ObjectNode) Json.parse(Files.readAllBytes(bundle.resolve("bundle.json")));
    ((ObjectNode) index.get("stages").get(0)).put("statement", "../secret.json");
    ((ObjectNode) index.get("stages").get(1)).put("statement", "/etc/passwd");
    Files.write(bundle.resolve("bundle.json"), Json.pretty(index));

    EvidenceView view = EvidenceView.read(bundle);

    assertEquals(List.of("../secret.json: path leaves the bundle", "/etc/passwd: path leaves the bundle"), view.problems());
    assertFalse(view.stages().get(0).predicate().isPresent());
  }

  @Test
  void aFolderThatIsNotABundleIsInvalidInput() throws IOException {
    InvalidInputException none = assertThrows(InvalidInputException.class, () -> EvidenceView.read(work));
    assertEquals(work + " is not an evidence bundle: it has no bundle.json", none.getMessage());
    Files.writeString(work.resolve("bundle.json"), "[]");
    InvalidInputException array = assertThrows(InvalidInputException.class, () -> EvidenceView.read(work));
    assertEquals(work + " is not an evidence bundle: bundle.json is not an object", array.getMessage());
  }

  @Test
  void fieldsOfTheWrongTypeAreLeftOutAndABrokenStageRowIsAProblemNotFatal() throws IOException {
    Files.writeString(work.resolve("bundle.json"), "{\"status\": 7, \"git\": [], \"stages\": [{\"name\": {}, \"durationMs\": \"x\"}], \"tags\": \"a\"}");

    EvidenceView view = EvidenceView.read(work);

    assertEquals("7", view.status());
    assertEquals(Optional.empty(), view.git().commit());
    assertEquals(List.of(), view.tags());
    assertEquals(List.of(), view.stages(), "a row that is not a stage entry is not shown as one");
    assertEquals(List.of("bundle.json: stage 1 is unreadable: stage: 'name' must be a string"), view.problems());

    Files.writeString(work.resolve("bundle.json"), "{\"stages\": {\"test\": {\"name\": \"test\"}}, \"tags\": {\"a\": \"b\"}}");
    EvidenceView objects = EvidenceView.read(work);
    assertEquals(List.of(), objects.stages());
    assertEquals(List.of(), objects.tags());
    assertEquals(List.of("bundle.json: no stages"), objects.problems());
  }
}
