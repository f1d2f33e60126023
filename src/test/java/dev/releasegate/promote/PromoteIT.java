package dev.releasegate.promote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.api.ImageReport;
import dev.releasegate.api.ImageVerification;
import dev.releasegate.api.PromoteRequest;
import dev.releasegate.api.PromotionResult;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.RemoteEvidence;
import dev.releasegate.api.Trust;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.cosign.AttachmentKind;
import dev.releasegate.cosign.SigstoreBundles;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.Verdict;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion between two real registries, the destination behind basic authentication: what is copied
 * verifies there alone, the environment tag is the only one that moves, and every refusal leaves the
 * destination untouched.
 */
class PromoteIT {
  private static final String PASSWORD = "promote-pass-31337";
  private static final String PIPELINE = "apiVersion: releasegate/v1\nstages:\n"
      + "  - {name: build, uses: jib}\n  - {name: sign, uses: sign}\n  - {name: push, uses: push}\n";

  @RegisterExtension static LocalRegistry source = new LocalRegistry();
  static LocalRegistry locked = new LocalRegistry().withBasicAuth("promoter", PASSWORD);
  @TempDir static Path shared;
  static Path signer;
  static Path other;
  static Path promoter;
  /** Released 1.0.0 and 1.0.1 of hello-service in the source registry. */
  static String first;
  static String second;

  @BeforeAll
  static void release() throws Exception {
    locked.start();
    signer = TestKeys.write(shared, "signer");
    other = TestKeys.write(shared, "other");
    promoter = TestKeys.write(shared, "promoter");
    String base = BaseImages.java17();
    Path pipeline = Files.writeString(shared.resolve("pipeline.yaml"), PIPELINE);
    Path project = TestRepos.copyOf(Examples.helloService(), shared.resolve("hello"));
    first = released(project, pipeline, base, "1.0.0");
    TestRepos.commit(project, "README.md", "second release\n", "second");
    second = released(project, pipeline, base, "1.0.1");
  }

  @AfterAll
  static void stop() {
    locked.stop();
  }

  private static String released(Path project, Path pipeline, String base, String version) {
    return released(project, pipeline, base, version, "hello");
  }

  private static String released(Path project, Path pipeline, String base, String version, String repository) {
    ReleaseResult result = Releases.run(Releases.request(project, signer, shared.resolve("evidence-" + repository + "-" + version))
        .imageRepository(source.address() + "/" + repository).baseImage(base).insecureRegistry(true).pipelineFile(pipeline).version(version)
        .build()).result();
    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    return result.digest().orElseThrow();
  }

  private static Map<String, String> variables() {
    Map<String, String> variables = new HashMap<>(Releases.environment());
    variables.put("RELEASEGATE_REGISTRY_USERNAME", "promoter");
    variables.put("RELEASEGATE_REGISTRY_PASSWORD", PASSWORD);
    variables.put("HOME", shared.toString());
    return variables;
  }

  private static PromoteRequest request(String digest, String destination, String environment, Path trustedKey) {
    return request(digest, destination, environment, trustedKey, promoter);
  }

  private static PromoteRequest request(String digest, String destination, String environment, Path trustedKey, Path promoterKey) {
    return new PromoteRequest(source.address() + "/hello@" + digest, destination, environment, new Trust.Key(TestKeys.pub(trustedKey)),
        EvidencePolicy.NONE, Optional.empty(), new PromoteRequest.Signing.Key(TestKeys.key(promoterKey)), true, variables());
  }

  private static PromotionResult promote(PromoteRequest request) {
    return Releasegate.promote(request, line -> {});
  }

  private static List<JsonNode> attestations(String repository, String digest) throws Exception {
    JsonNode manifest = Json.parse(locked.manifest(repository, AttachmentKind.ATTESTATIONS.tag(digest)).orElseThrow());
    List<JsonNode> statements = new ArrayList<>();
    for (JsonNode layer : manifest.get("layers")) {
      byte[] envelope = locked.blob(repository, layer.get("digest").asText()).orElseThrow();
      statements.add(Json.parse(DsseEnvelope.parse(envelope).payload()));
    }
    return statements;
  }

  @Test
  void aReleaseIsPromotedToAnotherRegistryAndVerifiesThereAlone() throws Exception {
    String destination = locked.address() + "/app";
    PromotionResult result = promote(request(first, destination, "staging", signer));

    assertTrue(result.promoted(), result.refusals().toString());
    assertEquals(Optional.empty(), result.previous());
    assertEquals(Optional.of(first), locked.manifestDigest("app", "staging"));
    assertEquals(List.of("sha256-" + first.substring(7), "sha256-" + first.substring(7) + ".att", "sha256-" + first.substring(7) + ".sig",
        "staging"), locked.tags("app"), "the image, its attachments and evidence, and only the environment tag: never a version tag");

    // Verified at the destination with nothing from the source: the release's signature and verdict ...
    ImageReport image = Releasegate.verifyImage(destination + "@" + first, new Trust.Key(TestKeys.pub(signer)), ImageVerification.of(variables())
        .requiring(Set.of(Verdict.PREDICATE_TYPE)).signedIdentity(Optional.of(source.address() + "/hello")).insecureRegistry(true));
    assertTrue(image.verified(), image.failures().toString());
    // ... and its evidence.
    try (RemoteEvidence evidence = Releasegate.fetchEvidence(destination + "@" + first, true, variables(), line -> {})) {
      assertEquals(1, evidence.bundles().size(), evidence.unreadable().toString());
      EvidenceReport report = Releasegate.requireImage(
          Releasegate.verifyEvidence(evidence.bundles().get(0).folder(), TestKeys.pub(signer), EvidencePolicy.NONE), first);
      assertTrue(report.accepted(), report.problems() + " " + report.policyViolations());
    }

    JsonNode promotion = attestations("app", first).stream()
        .filter(statement -> Promotion.PREDICATE_TYPE.equals(statement.get("predicateType").asText())).findFirst().orElseThrow();
    assertEquals(first.substring(7), promotion.at("/subject/0/digest/sha256").asText());
    assertEquals(destination, promotion.at("/subject/0/name").asText());
    JsonNode predicate = promotion.get("predicate");
    assertEquals("staging", predicate.get("environment").asText());
    assertEquals(source.address() + "/hello@" + first, predicate.get("from").asText());
    assertEquals(destination + "@" + first, predicate.get("to").asText());
    assertTrue(predicate.get("previousDigest").isNull());
    assertEquals("1.0.0", predicate.at("/release/version").asText());

    // Again: nothing new is written.
    int layers = attestations("app", first).size();
    PromotionResult again = promote(request(first, destination, "staging", signer));
    assertTrue(again.promoted() && again.unchanged(), again.toString());
    assertEquals(List.of(), again.writes());
    assertEquals(layers, attestations("app", first).size());

    // The next release replaces it in staging; the attestation names what staging held before.
    PromotionResult next = promote(request(second, destination, "staging", signer));
    assertTrue(next.promoted(), next.refusals().toString());
    assertEquals(Optional.of(first), next.previous());
    assertEquals(Optional.of(second), locked.manifestDigest("app", "staging"));
    JsonNode replaced = attestations("app", second).stream()
        .filter(statement -> Promotion.PREDICATE_TYPE.equals(statement.get("predicateType").asText())).findFirst().orElseThrow();
    assertEquals(first, replaced.at("/predicate/previousDigest").asText());
  }

  /**
   * A release signed only in Sigstore bundles (what cosign v3 reads) keeps them at the destination, and
   * its promotion is attested there in that format too, or cosign v3 would not see it.
   */
  @Test
  void aReleaseSignedInBundlesOnlyIsPromotedWithItsBundlesAndItsPromotionIsOne() throws Exception {
    Path pipeline = Files.writeString(shared.resolve("bundles.yaml"),
        PIPELINE.replace("{name: sign, uses: sign}", "{name: sign, uses: sign, with: {format: bundle}}"));
    String digest = released(TestRepos.copyOf(Examples.helloService(), shared.resolve("hello-bundled")), pipeline, BaseImages.java17(), "2.0.0",
        "bundled");
    PromotionResult result = Releasegate.promote(new PromoteRequest(source.address() + "/bundled@" + digest, locked.address() + "/bundled",
        "staging", new Trust.Key(TestKeys.pub(signer)), EvidencePolicy.NONE, Optional.empty(),
        new PromoteRequest.Signing.Key(TestKeys.key(promoter)), true, variables()), line -> {});
    assertTrue(result.promoted(), result.refusals().toString());

    List<String> sourceBundles = bundleReferrers(source, "bundled", digest);
    List<String> destinationBundles = bundleReferrers(locked, "bundled", digest);
    assertTrue(destinationBundles.containsAll(sourceBundles), "each bundle copied under its own digest: " + sourceBundles + " " + destinationBundles);
    assertEquals(sourceBundles.size() + 1, destinationBundles.size(), "and the promotion's");

    ImageReport image = Releasegate.verifyImage(locked.address() + "/bundled@" + digest, new Trust.Key(TestKeys.pub(promoter)),
        ImageVerification.of(variables()).requiring(Set.of(Promotion.PREDICATE_TYPE)).insecureRegistry(true));
    assertTrue(image.accepted().stream().anyMatch(found -> found.predicateType().equals(Optional.of(Promotion.PREDICATE_TYPE))
        && found.format().equals("bundle")), image.accepted().toString());
    ImageReport release = Releasegate.verifyImage(locked.address() + "/bundled@" + digest, new Trust.Key(TestKeys.pub(signer)),
        ImageVerification.of(variables()).requiring(Set.of(Verdict.PREDICATE_TYPE)).insecureRegistry(true));
    assertTrue(release.verified(), release.failures().toString());
    assertTrue(release.accepted().stream().allMatch(found -> found.format().equals("bundle")), release.accepted().toString());

    PromotionResult again = Releasegate.promote(new PromoteRequest(source.address() + "/bundled@" + digest, locked.address() + "/bundled",
        "staging", new Trust.Key(TestKeys.pub(signer)), EvidencePolicy.NONE, Optional.empty(),
        new PromoteRequest.Signing.Key(TestKeys.key(promoter)), true, variables()), line -> {});
    assertEquals(List.of(), again.writes(), "the bundles are there: nothing is written again");
  }

  private static List<String> bundleReferrers(LocalRegistry registry, String repository, String digest) throws Exception {
    List<String> digests = new ArrayList<>();
    for (JsonNode referrer : Json.parse(registry.referrers(repository, digest).orElseThrow()).get("manifests")) {
      if (SigstoreBundles.ARTIFACT_TYPE.equals(referrer.path("artifactType").asText())) {
        digests.add(referrer.get("digest").asText());
      }
    }
    return digests;
  }

  @Test
  void aPromotionAttestationByAnotherKeyDoesNotSpareThisPromoterItsOwn() throws Exception {
    Path mallory = TestKeys.write(shared, "mallory");
    String destination = locked.address() + "/recognized";
    assertTrue(promote(request(first, destination, "qa", signer, mallory)).promoted(), "someone else promoted it first, with their key");
    int layers = attestations("recognized", first).size();

    PromotionResult ours = promote(request(first, destination, "qa", signer));

    assertTrue(ours.promoted() && !ours.unchanged(), "the other key's attestation is not this promoter's: " + ours);
    assertEquals(layers + 1, attestations("recognized", first).size());
    PromotionResult again = promote(request(first, destination, "qa", signer));
    assertTrue(again.promoted() && again.unchanged(), "its own, verified with its key, is recognized: " + again);
    assertEquals(List.of(), again.writes());
    assertEquals(layers + 1, attestations("recognized", first).size());
  }

  @Test
  void historyListsTheVerifiedPromotionsAndRollbackGoesBackThroughTheSameChecks() throws Exception {
    String repository = locked.address() + "/rolled";
    assertTrue(promote(request(first, repository, "prod", signer)).promoted());
    assertTrue(promote(request(second, repository, "prod", signer)).promoted());
    assertTrue(promote(request(first, repository, "qa", signer)).promoted(), "another environment is another history");

    dev.releasegate.api.EnvironmentHistory history = Releasegate.history(repository, "prod", new Trust.Key(TestKeys.pub(promoter)),
        true, variables(), line -> {});
    assertEquals(Optional.of(second), history.current());
    assertEquals(List.of(second, first), history.promotions().stream().map(dev.releasegate.api.EnvironmentHistory.Promotion::digest).toList());
    assertEquals(List.of("1.0.1", "1.0.0"), history.promotions().stream().map(dev.releasegate.api.EnvironmentHistory.Promotion::version).toList());
    assertEquals(Optional.of(first), history.promotions().get(0).previous());
    assertEquals(List.of(), history.problems());
    dev.releasegate.api.EnvironmentHistory untrusted = Releasegate.history(repository, "prod", new Trust.Key(TestKeys.pub(other)),
        true, variables(), line -> {});
    assertEquals(List.of(), untrusted.promotions(), "promotions signed by another key are no history");
    assertEquals(3, untrusted.problems().size(), "every promotion attestation that does not verify is named, whatever environment it claims: "
        + untrusted.problems());

    dev.releasegate.api.RollbackRequest back = new dev.releasegate.api.RollbackRequest(repository, "prod", Optional.empty(),
        new Trust.Key(TestKeys.pub(promoter)), new Trust.Key(TestKeys.pub(signer)), EvidencePolicy.NONE,
        Optional.empty(), new PromoteRequest.Signing.Key(TestKeys.key(promoter)), true, variables());
    PromotionResult rolled = Releasegate.rollback(back, line -> {});
    assertTrue(rolled.promoted(), rolled.refusals().toString());
    assertEquals(Optional.of(second), rolled.previous());
    assertEquals(Optional.of(first), locked.manifestDigest("rolled", "prod"));

    // Through the same checks: a policy the old release no longer meets refuses it, naming the rule.
    dev.releasegate.api.RollbackRequest strict = new dev.releasegate.api.RollbackRequest(repository, "prod", Optional.of("1.0.1"),
        new Trust.Key(TestKeys.pub(promoter)), new Trust.Key(TestKeys.pub(signer)),
        new EvidencePolicy(List.of(), true, false, Optional.of(72L), Optional.empty()), Optional.empty(),
        new PromoteRequest.Signing.Key(TestKeys.key(promoter)), true, variables());
    PromotionResult refused = Releasegate.rollback(strict, line -> {});
    assertFalse(refused.promoted());
    assertTrue(refused.refusals().stream().anyMatch(refusal -> refusal.endsWith(
        "policy: maxScanDbAgeHours and minWaiverValidityDays need a passed trivy stage; there is none")), refused.refusals().toString());
    assertEquals(Optional.of(first), locked.manifestDigest("rolled", "prod"), "a refused rollback moves nothing");

    dev.releasegate.api.RollbackRequest never = new dev.releasegate.api.RollbackRequest(repository, "qa", Optional.of("1.0.1"),
        new Trust.Key(TestKeys.pub(promoter)), new Trust.Key(TestKeys.pub(signer)), EvidencePolicy.NONE,
        Optional.empty(), new PromoteRequest.Signing.Key(TestKeys.key(promoter)), true, variables());
    assertEquals("1.0.1 was never promoted to " + repository + ":qa (by a verified promotion); promote it instead",
        assertThrows(InvalidInputException.class, () -> Releasegate.rollback(never, line -> {})).getMessage());
  }

  @Test
  void withinOneRegistryTheLayersAreMountedNotCopied() throws Exception {
    PromotionResult result = promote(request(first, source.address() + "/hello-prod", "prod", signer));
    assertTrue(result.promoted(), result.refusals().toString());
    assertEquals(Optional.of(first), source.manifestDigest("hello-prod", "prod"));
    List<String> mounts = source.requests("POST", "/v2/hello-prod/blobs/uploads/\\?mount=.*&from=hello.*");
    assertFalse(mounts.isEmpty(), "cross-repository mounts: " + source.requests("POST", "/v2/hello-prod/.*"));
  }

  @Test
  void aReleaseSignedByAnotherKeyIsNotPromotedAndNothingIsWritten() {
    PromotionResult result = promote(request(first, locked.address() + "/untrusted", "staging", other));
    assertFalse(result.promoted());
    assertTrue(result.refusals().stream().anyMatch(refusal -> refusal.startsWith("image: ")), result.refusals().toString());
    assertTrue(result.refusals().stream().anyMatch(refusal -> refusal.startsWith("evidence ")), result.refusals().toString());
    assertEquals(List.of(), result.writes());
    assertEquals(List.of(), locked.tags("untrusted"));
  }

  @Test
  void anImageWithoutEvidenceIsNotPromoted() throws Exception {
    // The release's manifest with one more annotation: another digest, the same layers, nothing attached.
    JsonNode manifest = Json.parse(source.manifest("hello", first).orElseThrow());
    ((com.fasterxml.jackson.databind.node.ObjectNode) manifest).putObject("annotations").put("example.test/unreleased", "yes");
    String unreleased = source.putManifest("hello", "unreleased", Json.compact(manifest), manifest.get("mediaType").asText());
    PromotionResult result = promote(request(unreleased, locked.address() + "/unreleased", "staging", signer));
    assertFalse(result.promoted());
    assertTrue(result.refusals().contains("evidence: none is attached to " + source.address() + "/hello@" + unreleased), result.refusals().toString());
    assertEquals(List.of(), locked.tags("unreleased"));
  }

  @Test
  void anUnreachableOrRefusingDestinationFailsAsEnvironmentAndTagsNothing() throws Exception {
    java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
    String nowhere = "127.0.0.1:" + closed.getLocalPort() + "/app";
    closed.close();
    EnvironmentException unreachable = assertThrows(EnvironmentException.class, () -> promote(request(first, nowhere, "staging", signer)));
    assertTrue(unreachable.getMessage().contains("127.0.0.1:"), unreachable.getMessage());

    Map<String, String> wrongPassword = variables();
    wrongPassword.put("RELEASEGATE_REGISTRY_PASSWORD", "not-the-password");
    PromoteRequest refused = new PromoteRequest(source.address() + "/hello@" + first, locked.address() + "/refused", "staging",
        new Trust.Key(TestKeys.pub(signer)), EvidencePolicy.NONE, Optional.empty(), new PromoteRequest.Signing.Key(TestKeys.key(promoter)),
        true, wrongPassword);
    EnvironmentException unauthorized = assertThrows(EnvironmentException.class, () -> promote(refused));
    assertTrue(unauthorized.getMessage().contains(locked.address()), unauthorized.getMessage());
    assertEquals(List.of(), locked.tags("refused"));
  }

  @Test
  void aCopyCutOffHalfWayIsCompletedByTheNextRunWithoutUploadingTwice() throws Exception {
    // What a copy stopped after its first blob leaves: one layer at the destination, no manifest, no tag.
    dev.releasegate.registry.RegistrySettings settings = new dev.releasegate.registry.RegistrySettings(true, variables(), line -> {});
    dev.releasegate.registry.RegistryAccess from = dev.releasegate.registry.RegistryAccess.open(source.address() + "/hello", settings);
    dev.releasegate.registry.RegistryAccess to = dev.releasegate.registry.RegistryAccess.open(locked.address() + "/resumed", settings);
    String layer = Json.parse(source.manifest("hello", first).orElseThrow()).at("/layers/0/digest").asText();
    to.copyBlob(from, layer);
    assertEquals(List.of(), locked.tags("resumed"));

    PromotionResult result = promote(request(first, locked.address() + "/resumed", "staging", signer));
    assertTrue(result.promoted(), result.refusals().toString());
    assertEquals(Optional.of(first), locked.manifestDigest("resumed", "staging"));
    assertEquals(1, locked.requests("PUT", "/v2/resumed/blobs/uploads/.*digest=" + layer.replace(":", "(:|%3A)")).size(),
        "the layer already there is not uploaded again");
  }

  @Test
  void aWrongPasswordForThePromotersKeyIsSaidBeforeAnythingIsReadOrWritten() {
    Map<String, String> wrong = variables();
    wrong.put("COSIGN_PASSWORD", "not-the-password");
    PromoteRequest request = new PromoteRequest(source.address() + "/hello@" + first, locked.address() + "/wrong-key", "staging",
        new Trust.Key(TestKeys.pub(signer)), EvidencePolicy.NONE, Optional.empty(), new PromoteRequest.Signing.Key(TestKeys.key(promoter)),
        true, wrong);
    int before = source.requests("GET", "/v2/hello/").size();
    InvalidInputException invalid = assertThrows(InvalidInputException.class, () -> promote(request));
    assertEquals("wrong password for key " + TestKeys.key(promoter), invalid.getMessage());
    assertEquals(before, source.requests("GET", "/v2/hello/").size(), "nothing was verified or read first");
    assertEquals(List.of(), locked.tags("wrong-key"));
  }

  @Test
  void environmentsAreTagsThatNeverNameAVersion() {
    for (String environment : List.of("1.0.0", "v2", "0123abc", "latest", "bad tag", "-x")) {
      InvalidInputException invalid = assertThrows(InvalidInputException.class,
          () -> promote(request(first, locked.address() + "/names", environment, signer)), environment);
      assertTrue(invalid.getMessage().startsWith("environment '" + environment + "'"), invalid.getMessage());
    }
    assertEquals(List.of(), locked.tags("names"));
  }

  @Test
  void twoPromotionsOfOneEnvironmentAtOnceExactlyOneWins() throws Exception {
    String destination = locked.address() + "/race";
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Future<PromotionResult> a = pool.submit(() -> promote(request(first, destination, "prod", signer)));
    Future<PromotionResult> b = pool.submit(() -> promote(request(second, destination, "prod", signer)));
    PromotionResult ra = a.get();
    PromotionResult rb = b.get();
    pool.shutdown();
    assertTrue(ra.promoted() != rb.promoted(), ra + "\n" + rb);
    PromotionResult winner = ra.promoted() ? ra : rb;
    PromotionResult loser = ra.promoted() ? rb : ra;
    String winning = winner == ra ? first : second;
    assertEquals(Optional.of(winning), locked.manifestDigest("race", "prod"), "the tag names the winner");
    assertTrue(loser.refusals().get(0).startsWith("another promotion moved " + destination + ":prod to " + winning), loser.refusals().toString());
  }

  @Test
  void theCommandLineSaysWhatItDidAndExitsByIt() throws Exception {
    Map<String, String> environment = variables();
    Cli.Result promoted = Cli.run(environment, shared, "promote", source.address() + "/hello@" + first, "--to", locked.address() + "/cli",
        "--env", "qa", "--key", TestKeys.pub(signer).toString(), "--signing-key", TestKeys.key(promoter).toString(), "--insecure-registry");
    assertEquals(0, promoted.exitCode(), promoted.toString());
    assertEquals(source.address() + "/hello@" + first + ": promoted to " + locked.address() + "/cli:qa\n", promoted.stdout());

    Cli.Result refused = Cli.run(environment, shared, "promote", source.address() + "/hello@" + first, "--to", locked.address() + "/cli2",
        "--env", "qa", "--key", TestKeys.pub(other).toString(), "--signing-key", TestKeys.key(promoter).toString(), "--insecure-registry", "--json");
    assertEquals(1, refused.exitCode(), refused.toString());
    JsonNode json = Json.parse(refused.stdout().getBytes(StandardCharsets.UTF_8));
    assertFalse(json.get("promoted").asBoolean());
    assertFalse(json.get("refusals").isEmpty());

    Cli.Result history = Cli.run(environment, shared, "history", locked.address() + "/cli", "--env", "qa", "--key", TestKeys.pub(promoter).toString(),
        "--insecure-registry", "--json");
    assertEquals(0, history.exitCode(), history.toString());
    JsonNode listed = Json.parse(history.stdout().getBytes(StandardCharsets.UTF_8));
    assertEquals(first, listed.get("current").asText());
    assertEquals(first, listed.at("/promotions/0/digest").asText());
    assertEquals("1.0.0", listed.at("/promotions/0/version").asText());

    Cli.Result nothingBefore = Cli.run(environment, shared, "rollback", locked.address() + "/cli", "--env", "qa", "--promoter-key",
        TestKeys.pub(promoter).toString(), "--key", TestKeys.pub(signer).toString(), "--signing-key", TestKeys.key(promoter).toString(),
        "--insecure-registry");
    assertEquals(2, nothingBefore.exitCode(), nothingBefore.toString());
    assertTrue(nothingBefore.stderr().contains("nothing to roll back to: " + locked.address() + "/cli:qa has held no other release"),
        nothingBefore.stderr());

    Cli.Result version = Cli.run(environment, shared, "promote", source.address() + "/hello@" + first, "--to", locked.address() + "/cli",
        "--env", "1.0.0", "--key", TestKeys.pub(signer).toString(), "--signing-key", TestKeys.key(promoter).toString(), "--insecure-registry");
    assertEquals(2, version.exitCode(), version.toString());
    assertTrue(version.stderr().contains("environment '1.0.0' looks like a version or commit tag"), version.stderr());
  }
}
