package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.git.GitFactsReader;
import dev.releasegate.pipeline.PipelineLoader;
import dev.releasegate.pipeline.PipelineRunner;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.Fixtures;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Signing and verification against a real registry: our own release, and cosign's real signatures. */
class SignVerifyIT {
  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;
  static Path other;
  static String base;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    signer = TestKeys.write(shared, "signer");
    other = TestKeys.write(shared, "other");
    base = BaseImages.java17();
  }

  private static final String PIPELINE = "apiVersion: releasegate/v1\nstages:\n"
      + "  - {name: build, uses: jib}\n  - {name: sign, uses: sign}\n  - {name: verify, uses: verify}\n  - {name: push, uses: push}\n";

  private Cli.Result verifyImage(String... args) {
    List<String> command = new ArrayList<>(List.of("verify-image"));
    command.addAll(List.of(args));
    command.add("--insecure-registry");
    return Cli.run(work, command.toArray(String[]::new));
  }

  @Test
  void releaseSignsAttestsAndVerifies() throws Exception {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("hello"));
    Path pipeline = Files.writeString(work.resolve("pipeline.yaml"), PIPELINE);
    String repository = registry.address() + "/signed";
    ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("e1")).imageRepository(repository)
        .baseImage(base).insecureRegistry(true).pipelineFile(pipeline).version("1.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    String digest = result.digest().orElseThrow();
    String keyId = PublicKeys.keyId(PublicKeys.read(TestKeys.pub(signer)));

    JsonNode sig = Json.parse(registry.manifest("signed", AttachmentKind.SIGNATURES.tag(digest)).orElseThrow());
    assertEquals("application/vnd.oci.image.manifest.v1+json", sig.get("mediaType").asText());
    assertEquals("application/vnd.oci.image.config.v1+json", sig.at("/config/mediaType").asText());
    assertEquals(1, sig.get("layers").size());
    assertEquals("application/vnd.dev.cosign.simplesigning.v1+json", sig.at("/layers/0/mediaType").asText());
    byte[] payload = registry.blob("signed", sig.at("/layers/0/digest").asText()).orElseThrow();
    assertEquals(new String(SimpleSigningPayload.forImage(repository, digest).bytes(), StandardCharsets.UTF_8),
        new String(payload, StandardCharsets.UTF_8), "the exact payload cosign would sign");

    JsonNode att = Json.parse(registry.manifest("signed", AttachmentKind.ATTESTATIONS.tag(digest)).orElseThrow());
    List<String> types = new ArrayList<>();
    att.get("layers").forEach(layer -> {
      assertEquals("application/vnd.dsse.envelope.v1+json", layer.get("mediaType").asText());
      assertEquals("", layer.at("/annotations/dev.cosignproject.cosign~1signature").asText());
      types.add(layer.at("/annotations/predicateType").asText());
    });
    assertEquals(List.of("https://slsa.dev/provenance/v1", "https://slsa.dev/verification_summary/v1"), types,
        "the gates' statements, attached by the sign stage, then the verdict, attached after the run");

    JsonNode verify = Json.parse(DsseEnvelope.parse(Files.readAllBytes(work.resolve("e1/statements/03-verify.dsse.json"))).payload());
    assertEquals(keyId, verify.at("/predicate/signatures/0").asText());

    Cli.Result verified = verifyImage(repository + "@" + digest, "--key", TestKeys.pub(signer).toString(),
        "--require-predicate", "https://slsa.dev/provenance/v1");
    assertEquals(0, verified.exitCode(), verified.toString());
    assertTrue(verified.stdout().contains("verified: signed by " + keyId), verified.stdout());
    assertTrue(verified.stdout().contains("attested: https://slsa.dev/provenance/v1"), verified.stdout());

    Cli.Result json = verifyImage(repository + "@" + digest, "--key", TestKeys.pub(signer).toString(), "--json");
    assertEquals(0, json.exitCode(), json.toString());
    JsonNode report = Json.parse(json.stdout().getBytes(StandardCharsets.UTF_8));
    assertTrue(report.get("verified").asBoolean());
    assertEquals(keyId, report.at("/signers/0").asText());
    assertTrue(report.get("attested").toString().contains("https://slsa.dev/verification_summary/v1"), report.toString());

    Cli.Result wrongKey = verifyImage(repository + "@" + digest, "--key", TestKeys.pub(other).toString());
    assertEquals(1, wrongKey.exitCode(), wrongKey.toString());
    assertTrue(wrongKey.stdout().contains("does not verify with key " + PublicKeys.keyId(PublicKeys.read(TestKeys.pub(other)))), wrongKey.stdout());

    Cli.Result missing = verifyImage(repository + "@" + digest, "--key", TestKeys.pub(signer).toString(),
        "--require-predicate", "https://example.test/missing/v1");
    assertEquals(1, missing.exitCode());
    assertTrue(missing.stdout().contains("no verified attestation with predicate type https://example.test/missing/v1"), missing.stdout());

    // Re-releasing the same digest adds no second signature by the same key.
    ReleaseResult again = Releases.run(Releases.request(project, signer, work.resolve("e2")).imageRepository(repository)
        .baseImage(base).insecureRegistry(true).pipelineFile(pipeline).version("1.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, again.status(), again.stages().toString());
    assertEquals(1, Json.parse(registry.manifest("signed", AttachmentKind.SIGNATURES.tag(digest)).orElseThrow()).get("layers").size());
  }

  @Test
  void aTagMovedByAnotherReleaserAfterThePushIsFoundOnceTheVerdictIsAttached() throws Exception {
    Path project = TestRepos.copyOf(Examples.helloService(), work.resolve("raced"));
    Path pipeline = Files.writeString(work.resolve("pipeline.yaml"), "apiVersion: releasegate/v1\nstages:\n"
        + "  - {name: build, uses: jib}\n  - {name: sign, uses: sign}\n  - {name: push, uses: push, with: {tags: [\"{version}\"]}}\n"
        + "  - {name: rival, uses: rival, with: {tag: \"2.0.0\"}}\n");
    String repository = registry.address() + "/raced";
    ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("e1")).imageRepository(repository)
        .baseImage(base).insecureRegistry(true).pipelineFile(pipeline).version("2.0.0").build()).result();

    assertEquals(ReleaseStatus.RELEASED, result.status(), "every stage passed: " + result.stages());
    String digest = result.digest().orElseThrow();
    String now = registry.manifestDigest("raced", "2.0.0").orElseThrow();
    assertNotEquals(digest, now, "the rival holds the tag");
    var attachments = result.attachments().orElseThrow();
    assertTrue(attachments.complete(), attachments.toString());
    assertFalse(attachments.tagsHeld());
    assertEquals(List.of("tag " + repository + ":2.0.0 now names " + now + ", not this release's " + digest), attachments.movedTags());
  }

  @Test
  void cosignAndContainersImageSignaturesVerifyAndForgeriesFail() throws Exception {
    RegistryAccess access = RegistryAccess.open(registry.address() + "/fixtures", new RegistrySettings(true, Map.of(), line -> {}));
    CosignRegistry cosign = new CosignRegistry(access);
    for (CosignFixtures.Image image : CosignFixtures.Image.values()) {
      CosignManifest manifest = CosignManifest.empty(AttachmentKind.SIGNATURES).append(image.signature().layer(), DuplicateCheck.identical()).manifest();
      cosign.write(image.digest, manifest, List.of(image.signature().layer()));
      String reference = access.repository() + "@" + image.digest;
      Path key = Fixtures.file("cosign-signatures/" + image.keyFile);
      Path otherKey = Fixtures.file("cosign-signatures/" + (image.keyFile.equals("cosign.pub") ? "cosign2.pub" : "cosign.pub"));

      Cli.Result ok = verifyImage(reference, "--key", key.toString(), "--signed-identity", image.repository);
      assertEquals(0, ok.exitCode(), image + ": " + ok);
      Cli.Result wrong = verifyImage(reference, "--key", otherKey.toString(), "--signed-identity", image.repository);
      assertEquals(1, wrong.exitCode(), image + ": " + wrong);
      assertTrue(wrong.stdout().contains("does not verify with key " + PublicKeys.keyId(PublicKeys.read(otherKey))), wrong.stdout());
      Cli.Result identity = verifyImage(reference, "--key", key.toString());
      assertEquals(1, identity.exitCode(), "the payload names another repository than the one read: " + identity);
    }
    String rekorImage = access.repository() + "@" + CosignFixtures.Image.KEY_REKOR_VALID.digest;
    Cli.Result withRekor = verifyImage(rekorImage, "--key", Fixtures.file("cosign-signatures/cosign2.pub").toString(),
        "--signed-identity", CosignFixtures.Image.KEY_REKOR_VALID.repository, "--rekor-public-key", Fixtures.file("cosign-signatures/rekor.pub").toString());
    assertEquals(0, withRekor.exitCode(), withRekor.toString());
    Cli.Result wrongLog = verifyImage(rekorImage, "--key", Fixtures.file("cosign-signatures/cosign2.pub").toString(),
        "--signed-identity", CosignFixtures.Image.KEY_REKOR_VALID.repository, "--rekor-public-key", Fixtures.file("cosign-signatures/cosign.pub").toString());
    assertEquals(1, wrongLog.exitCode(), "a SET checked against the wrong log key fails: " + wrongLog);

    KeyPair ours = CosignKeyFile.generate();
    Path ourKey = work.resolve("ours.pub");
    Files.writeString(ourKey, PublicKeys.toPem(ours.getPublic()));
    String repository = access.repository();
    String a = "sha256:" + "a".repeat(64);
    String b = "sha256:" + "b".repeat(64);

    // One byte of a real payload changed.
    CosignFixtures.Signature real = CosignFixtures.Image.VALID.signature();
    byte[] tampered = real.payload().clone();
    tampered[tampered.length - 3] ^= 0x01;
    push(cosign, b, new CosignFixtures.Signature(real.mimeType(), tampered, real.annotations()).layer());
    assertEquals(1, verifyImage(repository + "@" + b, "--key", Fixtures.file("cosign-signatures/cosign.pub").toString(),
        "--signed-identity", CosignFixtures.Image.VALID.repository).exitCode());

    // A signature for digest A placed under B's .sig.
    String c = "sha256:" + "c".repeat(64);
    byte[] forA = SimpleSigningPayload.forImage(repository, a).bytes();
    push(cosign, c, CosignLayer.signature(forA, Ecdsa.sign(ours.getPrivate(), forA)));
    Cli.Result swapped = verifyImage(repository + "@" + c, "--key", ourKey.toString());
    assertEquals(1, swapped.exitCode());
    assertTrue(swapped.stdout().contains("payload names " + a + ", image is " + c), swapped.stdout());

    // An unknown key inside critical, validly signed.
    String d = "sha256:" + "d".repeat(64);
    byte[] extra = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + repository + "\"},\"image\":{\"docker-manifest-digest\":\"" + d
        + "\"},\"type\":\"cosign container image signature\",\"extra\":\"x\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    push(cosign, d, CosignLayer.signature(extra, Ecdsa.sign(ours.getPrivate(), extra)));
    Cli.Result unknown = verifyImage(repository + "@" + d, "--key", ourKey.toString());
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.stdout().contains("unknown key \"extra\" in critical"), unknown.stdout());

    // No .sig at all.
    String e = "sha256:" + "e".repeat(64);
    Cli.Result none = verifyImage(repository + "@" + e, "--key", ourKey.toString());
    assertEquals(1, none.exitCode());
    assertTrue(none.stdout().contains("no signatures for " + e), none.stdout());
  }

  @Test
  void keylessSignaturesAndAttestationsAreVerifiedFromTheRegistry() throws Exception {
    // Real keyless material: cosign's attestation of an image, and a keyless signature whose payload
    // is artifact.txt (no keyless signature of an image payload exists among the fixtures, and none
    // can be made here without Fulcio). Both are read back from the registry and checked offline.
    RegistryAccess access = RegistryAccess.open(registry.address() + "/keyless", new RegistrySettings(true, Map.of(), line -> {}));
    CosignRegistry cosign = new CosignRegistry(access);
    String digest = CosignFixtures.KEYLESS_ATTESTED_IMAGE;
    push(cosign, digest, CosignFixtures.keylessSignatureLayer("bundle.v3.message-signature.sigstore.json"));
    CosignLayer attestation = CosignFixtures.keylessAttestationLayer();
    cosign.write(digest, CosignManifest.empty(AttachmentKind.ATTESTATIONS).append(attestation, DuplicateCheck.identical()).manifest(),
        List.of(attestation));
    String reference = access.repository() + "@" + digest;
    String publicGood = Fixtures.file("sigstore-bundles/trusted_root.public-good.json").toString();

    // As cody@soyland.com: the attestation verifies; the signature is someone else's.
    Cli.Result cody = verifyImage(reference, "--certificate-identity", "cody@soyland.com",
        "--certificate-oidc-issuer", "https://github.com/login/oauth", "--trusted-root", publicGood,
        "--require-predicate", CosignFixtures.KEYLESS_ATTESTED_PREDICATE);
    assertEquals(1, cody.exitCode(), cody.toString());
    assertEquals(List.of(reference + ": NOT VERIFIED",
        "  signature 1: signed by appu@google.com (issuer https://accounts.google.com), expected cody@soyland.com (issuer https://github.com/login/oauth)"),
        cody.stdout().lines().toList());

    // As appu@google.com: certificate, log entry and signature pass; the payload is no image signature.
    Cli.Result appu = verifyImage(reference, "--certificate-identity", "appu@google.com",
        "--certificate-oidc-issuer", "https://accounts.google.com", "--trusted-root", publicGood);
    assertEquals(1, appu.exitCode(), appu.toString());
    List<String> lines = appu.stdout().lines().toList();
    assertEquals(3, lines.size(), appu.toString());
    assertTrue(lines.get(1).startsWith("  signature 1: ") && lines.get(1).contains("payload"), lines.get(1));
    assertEquals("  attestation 1: envelope signed by cody@soyland.com (issuer https://github.com/login/oauth), "
        + "expected appu@google.com (issuer https://accounts.google.com)", lines.get(2));

    Cli.Result staging = verifyImage(reference, "--certificate-identity", "cody@soyland.com",
        "--certificate-oidc-issuer", "https://github.com/login/oauth",
        "--trusted-root", Fixtures.file("sigstore-bundles/trusted_root.staging.json").toString());
    assertEquals(1, staging.exitCode(), staging.toString());
    assertTrue(staging.stdout().contains("attestation 1: envelope certificate is not trusted: "), staging.stdout());

    Cli.Result incomplete = verifyImage(reference, "--certificate-identity", "cody@soyland.com", "--trusted-root", publicGood);
    assertEquals(2, incomplete.exitCode(), incomplete.toString());
    Cli.Result mixed = verifyImage(reference, "--key", TestKeys.pub(signer).toString(), "--certificate-identity", "cody@soyland.com",
        "--certificate-oidc-issuer", "https://github.com/login/oauth", "--trusted-root", publicGood);
    assertEquals(2, mixed.exitCode(), mixed.toString());
  }

  @Test
  void aKeylessSignStageWritesCosignsKeylessAnnotationsThatVerifyImageChecks() throws Exception {
    // The signer replays a genuine Fulcio certificate and Rekor entry (see ReplayingKeylessSigner), so
    // everything up to the signature itself is real: the certificate must be trusted and name the
    // identity, and only then does the signature fail.
    String repository = registry.address() + "/keyless-run";
    String digest = "sha256:" + "f".repeat(64);
    Path project = TestRepos.create(work.resolve("project"), Map.of("releasegate.yaml",
        "apiVersion: releasegate/v1\nstages:\n  - {name: image, uses: fake-image, with: {digest: \"" + digest + "\"}}\n"
            + "  - {name: check, uses: exec, with: {command: [\"true\"]}}\n  - {name: sign, uses: sign}\n  - {name: verify, uses: verify}\n"));
    PipelineRunner.Setup setup = new PipelineRunner.Setup(PipelineLoader.load(Optional.empty(), project, StageTypes.load()), project,
        GitFactsReader.read(project), "1.0.0", new ImageSettings(Optional.of(repository), Optional.empty(), Map.of(), true), false, Set.of(),
        Releases.environment(), new DsseSigner(new ReplayingKeylessSigner()), work.resolve("evidence"), Clock.systemUTC(), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    ReleaseResult result = PipelineRunner.create(setup, ReleaseListener.NONE).run();
    // The verify stage trusts the keys of the certificates the run signed with, and the replayed
    // signatures are not over what was signed.
    assertEquals(ReleaseStatus.REJECTED, result.status(), result.stages().toString());
    String keyId = PublicKeys.keyId(CosignFixtures.bundleCertificate("bundle.v3.message-signature.sigstore.json").getPublicKey());
    assertEquals(List.of("passed", "passed", "passed", "failed"), result.stages().stream().map(stage -> stage.status().id()).toList());
    String sigTag = repository + ":" + AttachmentKind.SIGNATURES.tag(digest);
    String attTag = repository + ":" + AttachmentKind.ATTESTATIONS.tag(digest);
    assertEquals(Optional.of("signature 1: signature does not verify with key " + keyId + "; already written to the registry: "
        + sigTag + ", " + attTag + " (the evidence says how to remove each)"), result.stages().get(3).reason(),
        "a publisher that fails after another wrote says what was written");

    String certificate = PemBlocks.encode("CERTIFICATE", CosignFixtures.bundleCertificate("bundle.v3.message-signature.sigstore.json").getEncoded());
    JsonNode sig = Json.parse(registry.manifest("keyless-run", AttachmentKind.SIGNATURES.tag(digest)).orElseThrow());
    assertEquals(certificate, sig.at("/layers/0/annotations/dev.sigstore.cosign~1certificate").asText());
    assertTrue(sig.at("/layers/0/annotations").has("dev.sigstore.cosign/chain"));
    JsonNode att = Json.parse(registry.manifest("keyless-run", AttachmentKind.ATTESTATIONS.tag(digest)).orElseThrow());
    assertEquals(2, att.get("layers").size());
    for (JsonNode layer : att.get("layers")) {
      assertEquals(certificate, layer.at("/annotations/dev.sigstore.cosign~1certificate").asText());
      assertEquals(1697034484L, RekorBundle.parse(layer.at("/annotations/dev.sigstore.cosign~1bundle").asText()).integratedTime());
    }

    String publicGood = Fixtures.file("sigstore-bundles/trusted_root.public-good.json").toString();
    Cli.Result keyless = verifyImage(repository + "@" + digest, "--certificate-identity", ReplayingKeylessSigner.IDENTITY.certificateIdentity().toString(),
        "--certificate-oidc-issuer", ReplayingKeylessSigner.IDENTITY.oidcIssuer().toString(), "--trusted-root", publicGood);
    assertEquals(1, keyless.exitCode(), keyless.toString());
    assertEquals(List.of(repository + "@" + digest + ": NOT VERIFIED",
        "  signature 1: signature does not verify with the certificate's key",
        "  attestation 1: envelope signature does not verify with the certificate's key",
        "  attestation 2: envelope signature does not verify with the certificate's key"), keyless.stdout().lines().toList());
  }

  @Test
  void unreachableRegistryExitsThree() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Cli.Result result = verifyImage("127.0.0.1:" + closed + "/x@sha256:" + "0".repeat(64), "--key", TestKeys.pub(signer).toString());
    assertEquals(3, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("cannot reach registry 127.0.0.1:" + closed), result.stderr());
  }

  private static void push(CosignRegistry cosign, String digest, CosignLayer layer) throws InterruptedException {
    cosign.write(digest, CosignManifest.empty(AttachmentKind.SIGNATURES).append(layer, DuplicateCheck.identical()).manifest(), List.of(layer));
  }
}
