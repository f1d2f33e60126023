package dev.releasegate.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.Releasegate;
import dev.releasegate.base.Digests;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every change to a bundle from a real run must make verification fail. */
class TamperTest {
  private static final String PIPELINE = """
      apiVersion: releasegate/v1
      stages:
        - name: test
          uses: test
          with:
            command: [sh, -c, "mkdir -p target/r && printf '<testsuite><testcase classname=\\"A\\" name=\\"b\\"/></testsuite>' > target/r/TEST-A.xml"]
            reports: [target/r/*.xml]
        - {name: check, uses: exec, with: {command: [sh, -c, "echo fine; echo data > out.bin"], outputs: [out.bin]}}
        - {name: shout, uses: shout, with: {message: hello}}
      """;

  @TempDir static Path shared;
  static Path signer;
  static Path released;
  static Path rejected;

  @TempDir Path work;
  Path bundle;

  @BeforeAll
  static void realRuns() {
    signer = TestKeys.write(shared, "signer");
    Path project = TestRepos.create(shared.resolve("project"), Map.of("releasegate.yaml", PIPELINE, ".gitignore", "target/\nout.bin\n"));
    released = shared.resolve("released");
    assertEquals(ReleaseStatus.RELEASED, Releases.run(Releases.request(project, signer, released).build()).result().status());
    Path failing = TestRepos.create(shared.resolve("failing"), Map.of("releasegate.yaml",
        PIPELINE.replace("message: hello", "message: \"no\""), ".gitignore", "target/\nout.bin\n"));
    rejected = shared.resolve("rejected");
    assertEquals(ReleaseStatus.REJECTED, Releases.run(Releases.request(failing, signer, rejected).build()).result().status());
  }

  @BeforeEach
  void copy() throws IOException {
    bundle = work.resolve("bundle");
    TestRepos.copyTree(released, bundle);
    assertTrue(verify(bundle).accepted(), "the untouched copy verifies");
  }

  @Test
  void fiftyRandomSingleByteChangesAllFail() throws IOException {
    long seed = Long.getLong("tamper.seed", System.nanoTime());
    Random random = new Random(seed);
    List<Path> files = files(bundle);
    assertTrue(files.size() >= 9, "a real bundle has index, key, 4 envelopes and artifacts: " + files);
    List<String> survivors = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Path file = files.get(i % files.size());
      byte[] original = Files.readAllBytes(file);
      // An empty file (a silent command's log) cannot have a byte changed; it gains one instead.
      int offset = original.length == 0 ? 0 : random.nextInt(original.length);
      byte[] changed = original.length == 0 ? new byte[1] : original.clone();
      changed[offset] = (byte) ((original.length == 0 ? 0 : original[offset]) + 1 + random.nextInt(255));
      Files.write(file, changed);
      if (accepted(bundle)) {
        survivors.add(bundle.relativize(file) + " @" + offset);
      }
      Files.write(file, original);
    }
    assertEquals(List.of(), survivors, "changes that still verified (seed " + seed + ")");
    assertTrue(verify(bundle).accepted(), "restored bundle verifies again");
  }

  @Test
  void deletedStatementFails() throws IOException {
    Files.delete(bundle.resolve("statements/02-check.dsse.json"));
    EvidenceReport report = verify(bundle);
    assertFalse(report.authentic());
    assertTrue(report.problems().contains("statements/02-check.dsse.json: envelope: missing"), report.problems().toString());
  }

  @Test
  void reorderedStatementsFail() throws IOException {
    Path first = bundle.resolve("statements/01-test.dsse.json");
    Path second = bundle.resolve("statements/02-check.dsse.json");
    Path temp = work.resolve("swap");
    Files.move(first, temp);
    Files.move(second, first);
    Files.move(temp, second);
    assertFalse(verify(bundle).authentic());

    TestRepos.copyTree(released, work.resolve("again"));
    ObjectNode index = index(work.resolve("again"));
    ArrayNode stages = (ArrayNode) index.get("stages");
    var moved = stages.remove(0);
    stages.add(moved);
    writeIndex(work.resolve("again"), index);
    EvidenceReport report = verify(work.resolve("again"));
    assertTrue(report.problems().contains("bundle.json: signed record: differs from the run record signed in the verdict"), report.problems().toString());
  }

  @Test
  void releasedVerdictOverAFailedStageResignedWithAnotherKeyFails() throws IOException {
    Path forged = work.resolve("forged");
    TestRepos.copyTree(rejected, forged);
    assertEquals(ReleaseStatus.REJECTED, verify(forged).status().orElseThrow());

    // The forger rewrites the record to "released" and signs the verdict with a key of their own.
    ObjectNode index = index(forged);
    index.put("status", "released");
    index.remove("reason");
    ObjectNode shout = (ObjectNode) index.get("stages").get(2);
    shout.put("status", "passed");
    shout.remove(List.of("reason", "failure"));
    ObjectNode run = EvidenceVerifier.runPart(index);
    var forger = new DsseSigner(new KeySigner(CosignKeyFile.generate()));
    ObjectNode statement = Verdict.statement(RunRecord.fromJson(run), java.time.Instant.now());
    byte[] envelope = Json.pretty(forger.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, Json.compact(statement)).envelope().toJson());
    Files.write(forged.resolve(Verdict.STATEMENT_PATH), envelope);
    ((ObjectNode) index.get("verdict")).put("sha256", Digests.sha256Hex(envelope));
    writeIndex(forged, index);

    EvidenceReport report = verify(forged);
    assertFalse(report.accepted());
    assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("statements/99-verdict.dsse.json: signature: no signature verifies with key")),
        report.problems().toString());
  }

  @Test
  void aDryRunRecordThatHoldsBackAGateIsRefusedEvenSignedWithTheKey() throws IOException {
    // A runner that held a gate back "for the dry run" would have skipped a decision: signed or not,
    // the record is inconsistent. And a released record may not claim a dry run's skips.
    ObjectNode index = index(bundle);
    index.put("dryRun", true).put("status", "dry-run").put("reason", RunRecord.DRY_RUN_REASON);
    ObjectNode shout = (ObjectNode) index.get("stages").get(2);
    Files.delete(bundle.resolve(shout.get("statement").asText()));
    shout.retain("name", "type", "kind");
    shout.put("status", "skipped").put("reason", EvidenceVerifier.NOT_RUN_IN_DRY_RUN).put("durationMs", 0).putArray("artifacts");
    resignVerdict(index);

    EvidenceReport report = verify(bundle);

    assertTrue(report.problems().contains("bundle.json: stages: stage 'shout' is recorded as held back by a dry run, but it is a gate"),
        report.problems().toString());

    index.put("dryRun", false).put("status", "released").remove("reason");
    resignVerdict(index);
    assertTrue(verify(bundle).problems().contains(
        "bundle.json: stages: stage 'shout' is recorded as held back by a dry run, but the run is not a dry run"), verify(bundle).problems().toString());
  }

  /** Writes {@code index} and a verdict over it signed with the run's own key. */
  private void resignVerdict(ObjectNode index) throws IOException {
    var key = new DsseSigner(new KeySigner(CosignKeyFile.read(TestKeys.key(signer), TestKeys.PASSWORD.toCharArray())));
    ObjectNode statement = Verdict.statement(RunRecord.fromJson(EvidenceVerifier.runPart(index)), java.time.Instant.now());
    byte[] envelope = Json.pretty(key.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, Json.compact(statement)).envelope().toJson());
    Files.write(bundle.resolve(Verdict.STATEMENT_PATH), envelope);
    ((ObjectNode) index.get("verdict")).put("sha256", Digests.sha256Hex(envelope));
    writeIndex(bundle, index);
  }

  @Test
  void aBundleThatClaimsToBeKeylessIsStillVerifiedWithTheKeyAndItsUnsignedFilesRefused() throws IOException {
    // The attack of the adversarial review: the signer entry is not signed, so it claims keyless mode,
    // names an artifact as the certificate, the key file goes, and unsigned Sigstore bundles come in.
    ObjectNode index = index(bundle);
    index.putObject("signer").put("keyid", "ATTACKER-KEY-ID").put("mode", "keyless").put("certificate", "artifacts/check/output.log");
    writeIndex(bundle, index);
    Files.delete(bundle.resolve("signer.pub"));
    for (String statement : List.of("01-test", "02-check", "03-shout", "99-verdict")) {
      Files.writeString(bundle.resolve("statements/" + statement + ".sigstore.json"), "{}");
    }

    EvidenceReport report = verify(bundle);
    assertFalse(report.accepted());
    assertTrue(report.problems().stream().anyMatch(problem -> problem.startsWith("bundle.json: signer: the signer entry must be ")),
        report.problems().toString());
    assertTrue(report.problems().stream().anyMatch(problem -> problem.equals("statements/01-test.sigstore.json: layout: file is not part of the signed record")),
        report.problems().toString());
    assertTrue(report.problems().stream().anyMatch(problem -> problem.startsWith("bundle.json: signer: the bundle names signer ATTACKER-KEY-ID")),
        report.problems().toString());
  }

  @Test
  void pathTraversalInBundleJsonFails() throws IOException {
    ObjectNode index = index(bundle);
    ObjectNode artifact = (ObjectNode) index.get("stages").get(1).get("artifacts").get(0);
    artifact.put("path", "artifacts/check/../../../../etc/passwd");
    writeIndex(bundle, index);
    EvidenceReport report = verify(bundle);
    assertFalse(report.authentic());
    assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("bundle.json: structure: ") && p.contains("must stay under artifacts/")),
        report.problems().toString());

    TestRepos.copyTree(released, work.resolve("two"));
    ObjectNode other = index(work.resolve("two"));
    ((ObjectNode) other.get("stages").get(0)).put("statement", "../../outside.dsse.json");
    writeIndex(work.resolve("two"), other);
    EvidenceReport second = verify(work.resolve("two"));
    assertTrue(second.problems().contains("bundle.json: path: '../../outside.dsse.json' escapes the bundle or passes through a link"),
        second.problems().toString());
  }

  @Test
  void symbolicLinkInsideTheBundleFails() throws IOException {
    Path log = bundle.resolve("artifacts/check/output.log");
    Path real = work.resolve("elsewhere.log");
    Files.move(log, real);
    Files.createSymbolicLink(log, real);
    EvidenceReport report = verify(bundle);
    assertTrue(report.problems().contains("artifacts/check/output.log: layout: symbolic links are not allowed in a bundle"), report.problems().toString());
  }

  @Test
  void addedFileFails() throws IOException {
    Files.writeString(bundle.resolve("artifacts/check/extra.txt"), "not signed");
    assertTrue(verify(bundle).problems().contains("artifacts/check/extra.txt: layout: file is not part of the signed record"));
  }

  @Test
  void wrongKeyFailsAndNamesBothKeys() throws IOException {
    Path other = TestKeys.write(work, "other");
    EvidenceReport report = Releasegate.verifyEvidence(bundle, TestKeys.pub(other), EvidencePolicy.NONE);
    assertFalse(report.authentic());
    assertTrue(report.problems().stream().anyMatch(p -> p.startsWith("bundle.json: signer: the bundle names signer")), report.problems().toString());
  }

  @Test
  void bundleWithoutItsVerdictFails() throws IOException {
    // What a crash between the last stage and the verdict leaves behind.
    Files.delete(bundle.resolve(Verdict.STATEMENT_PATH));
    EvidenceReport report = verify(bundle);
    assertFalse(report.accepted());
    assertTrue(report.problems().contains("statements/99-verdict.dsse.json: envelope: missing"), report.problems().toString());
  }

  @Test
  void folderWithoutIndexIsNotABundle() throws IOException {
    Files.delete(bundle.resolve("bundle.json"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> verify(bundle));
    assertTrue(e.getMessage().endsWith("is not an evidence bundle: it has no bundle.json"), e.getMessage());
  }

  private static boolean accepted(Path bundle) {
    try {
      return verify(bundle).accepted();
    } catch (InvalidInputException e) {
      return false;
    }
  }

  private static EvidenceReport verify(Path bundle) {
    return Releasegate.verifyEvidence(bundle, TestKeys.pub(signer), EvidencePolicy.NONE);
  }

  private static ObjectNode index(Path bundle) throws IOException {
    return (ObjectNode) Json.parse(Files.readAllBytes(bundle.resolve("bundle.json")));
  }

  private static void writeIndex(Path bundle, ObjectNode index) throws IOException {
    Files.write(bundle.resolve("bundle.json"), Json.pretty(index));
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
