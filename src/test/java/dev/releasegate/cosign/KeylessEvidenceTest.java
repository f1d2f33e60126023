package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.Trust;
import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.Dsse;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.git.GitFactsReader;
import dev.releasegate.pipeline.Pipeline;
import dev.releasegate.pipeline.PipelineLoader;
import dev.releasegate.pipeline.PipelineRunner;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.testing.Fixtures;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestRepos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless evidence, as far as it can be exercised without Fulcio and Rekor: the layout a keyless run
 * writes, and a verifier that really checks each envelope against its Sigstore bundle.
 */
class KeylessEvidenceTest {
  private static final String TRUSTED_ROOT = "sigstore-bundles/trusted_root.public-good.json";

  @TempDir Path work;

  @Test
  void keylessRunWritesABundleBesideEveryEnvelopeAndVerificationChecksThem() throws Exception {
    Path project = TestRepos.create(work.resolve("project"), Map.of(
        "releasegate.yaml", "apiVersion: releasegate/v1\nstages:\n  - {name: a, uses: exec, with: {command: [\"true\"]}}\n"));
    Pipeline pipeline = PipelineLoader.load(Optional.empty(), project, StageTypes.load());
    Path evidence = work.resolve("evidence");
    PipelineRunner.Setup setup = new PipelineRunner.Setup(pipeline, project, GitFactsReader.read(project), "1.0.0",
        new ImageSettings(Optional.empty(), Optional.empty(), Map.of(), false), false, Set.of(), Releases.environment(),
        new DsseSigner(new ReplayingKeylessSigner()), evidence, Clock.systemUTC(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    assertEquals(ReleaseStatus.RELEASED, PipelineRunner.create(setup, ReleaseListener.NONE).run().status());

    assertTrue(Files.exists(evidence.resolve("statements/01-a.sigstore.json")));
    assertTrue(Files.exists(evidence.resolve("statements/99-verdict.sigstore.json")));
    assertTrue(Files.readString(evidence.resolve("signer.crt")).startsWith("-----BEGIN CERTIFICATE-----\n"));
    assertFalse(Files.exists(evidence.resolve("signer.pub")));
    JsonNode index = Json.parse(Files.readAllBytes(evidence.resolve("bundle.json")));
    assertEquals("keyless", index.at("/signer/mode").asText());
    assertTrue(DsseEnvelope.parse(Files.readAllBytes(evidence.resolve("statements/01-a.dsse.json"))).signatures().get(0).keyid().isEmpty());

    EvidenceReport report = Releasegate.verifyEvidence(evidence, new Trust.Keyless(ReplayingKeylessSigner.IDENTITY,
        Fixtures.file(TRUSTED_ROOT)), EvidencePolicy.NONE);
    assertFalse(report.authentic());
    List<String> problems = report.problems();
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("statements/01-a.dsse.json: signature: 01-a.sigstore.json: ")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("statements/99-verdict.dsse.json: signature: 99-verdict.sigstore.json: ")), problems.toString());
    assertTrue(problems.stream().noneMatch(p -> p.contains("layout")), "sidecars and signer.crt belong to a keyless bundle: " + problems);
  }

  @Test
  void theEnvelopeMustCarryTheSignatureOfItsBundle() throws Exception {
    KeylessEnvelopeVerifier verifier = new KeylessEnvelopeVerifier(
        KeylessBundleVerifier.fromTrustedRoot(Fixtures.file(TRUSTED_ROOT)), ReplayingKeylessSigner.IDENTITY);
    Path envelopeFile = work.resolve("01-a.dsse.json");
    DsseEnvelope envelope = new DsseEnvelope(Dsse.IN_TOTO_PAYLOAD_TYPE, "{}".getBytes(StandardCharsets.UTF_8),
        List.of(new DsseEnvelope.Signature(Optional.empty(), new byte[] {1, 2, 3})));
    assertEquals(Optional.of("no Sigstore bundle 01-a.sigstore.json beside it"), verifier.check(envelopeFile, envelope));

    Files.copy(Fixtures.file("sigstore-bundles/bundle.v3.message-signature.sigstore.json"), work.resolve("01-a.sigstore.json"));
    assertEquals(Optional.of("its signature is not the one in 01-a.sigstore.json"), verifier.check(envelopeFile, envelope));

    // The bundle's own signature, but over other bytes than this envelope's PAE: sigstore-java refuses it.
    byte[] fixtureSignature = new ReplayingKeylessSigner().sign(new byte[0]);
    DsseEnvelope borrowed = new DsseEnvelope(Dsse.IN_TOTO_PAYLOAD_TYPE, "{}".getBytes(StandardCharsets.UTF_8),
        List.of(new DsseEnvelope.Signature(Optional.empty(), fixtureSignature)));
    Optional<String> problem = verifier.check(envelopeFile, borrowed);
    assertTrue(problem.isPresent() && problem.get().startsWith("01-a.sigstore.json: "), problem.toString());
  }
}
