package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.evidence.Dsse;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.registry.Referrers;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Peers;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * releasegate's signatures and attestations read by the real cosign (v3 and v2) and crane, and
 * cosign's read by releasegate: keys both ways. Every cosign runs with a dead proxy for anything but
 * loopback, so a call to Rekor, Fulcio or TUF fails instead of going unnoticed.
 */
abstract class CosignInterop {
  private static final String PIPELINE = """
      apiVersion: releasegate/v1
      stages:
        - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}
        - {name: sbom, uses: cyclonedx}
        - {name: lint, uses: readiness}
        - {name: sign, uses: sign}
        - {name: verify, uses: verify}
        - {name: push, uses: push}
      """;

  @TempDir static Path shared;
  static Path signer;
  static String base;
  static Path template;
  /** cosign v2 fetches Sigstore's trusted root over TUF unless given one; verifying with a key needs none of it. */
  static Path emptyTrustedRoot;

  @TempDir Path work;

  /** The registry the class runs against: with the referrers API, or with the referrers tag schema only. */
  abstract LocalRegistry registry();

  @BeforeAll
  static void setUp() throws IOException {
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
    template = Examples.builtHelloService(shared.resolve("template"));
    emptyTrustedRoot = Files.writeString(shared.resolve("trusted_root.json"), "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}");
  }

  private record Run(int exitCode, String output) {}

  /** Runs a peer with COSIGN_PASSWORD and no way out but loopback. */
  private Run peer(String name, String... args) {
    List<String> command = new ArrayList<>(List.of(Peers.bin(name).toString()));
    command.addAll(List.of(args));
    try {
      Path log = Files.createTempFile(work, name, ".log");
      ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().put("COSIGN_PASSWORD", TestKeys.PASSWORD);
      builder.environment().put("HOME", work.toString());
      builder.environment().put("HTTPS_PROXY", "http://127.0.0.1:9");
      builder.environment().put("HTTP_PROXY", "http://127.0.0.1:9");
      builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
      Process process = builder.start();
      assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " finished");
      return new Run(process.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private List<String> verify(String cosign, String... more) {
    List<String> args = new ArrayList<>(List.of("--insecure-ignore-tlog", "--allow-http-registry"));
    if (cosign.equals("cosign2")) {
      args.addAll(List.of("--trusted-root", emptyTrustedRoot.toString()));
    }
    args.addAll(List.of(more));
    return args;
  }

  private String release(String name, Path key) {
    return release(name, key, PIPELINE);
  }

  private String release(String name, Path key, String pipeline) {
    return release(name, name, key, pipeline);
  }

  /** A release of the example into {@code repository}, from a project and into evidence folders named {@code name}. */
  private String release(String name, String repository, Path key, String pipeline) {
    Path project = TestRepos.copyBuilt(template, work.resolve(name), Map.of("releasegate.yaml", pipeline));
    ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("evidence-" + name)).keyFile(key)
        .imageRepository(registry().address() + "/" + repository).baseImage(base).insecureRegistry(true).version("1.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    return registry().address() + "/" + repository + "@" + result.digest().orElseThrow();
  }

  @Test
  void cosignV3AndV2VerifyTheSignatureAndEveryAttestationOfARelease() throws Exception {
    String image = release("released", TestKeys.key(signer));
    String digest = image.substring(image.indexOf('@') + 1);
    JsonNode att = Json.parse(registry().manifest("released", digest.replace(':', '-') + ".att").orElseThrow());
    TreeSet<String> types = new TreeSet<>();
    att.get("layers").forEach(layer -> types.add(layer.at("/annotations/predicateType").asText()));
    assertEquals(new TreeSet<>(List.of("https://cyclonedx.org/bom", "https://releasegate.dev/readiness/v1", "https://slsa.dev/provenance/v1",
        "https://slsa.dev/verification_summary/v1")), types);

    for (String cosign : List.of("cosign", "cosign2")) {
      List<String> args = new ArrayList<>(List.of("verify", "--key", TestKeys.pub(signer).toString()));
      args.addAll(verify(cosign, image));
      Run verified = peer(cosign, args.toArray(String[]::new));
      assertEquals(0, verified.exitCode(), cosign + " verify: " + verified.output());
      for (String type : types) {
        List<String> attestation = new ArrayList<>(List.of("verify-attestation", "--key", TestKeys.pub(signer).toString(), "--type", type));
        attestation.addAll(verify(cosign, image));
        Run attested = peer(cosign, attestation.toArray(String[]::new));
        assertEquals(0, attested.exitCode(), cosign + " verify-attestation --type " + type + ": " + attested.output());
      }
    }

    // cosign v3 told to read the legacy format (a deprecated flag it still takes) finds the tags.
    for (String command : List.of("verify", "verify-attestation")) {
      List<String> args = new ArrayList<>(List.of(command, "--new-bundle-format=false", "--key", TestKeys.pub(signer).toString()));
      if (command.equals("verify-attestation")) {
        args.addAll(List.of("--type", "https://slsa.dev/verification_summary/v1"));
      }
      args.addAll(verify("cosign", image));
      Run legacy = peer("cosign", args.toArray(String[]::new));
      assertEquals(0, legacy.exitCode(), "cosign v3 " + command + " --new-bundle-format=false: " + legacy.output());
    }

    // releasegate reads both formats and says where each signature and attestation was found; the key is one signer.
    Cli.Result ours = Cli.run(work, "verify-image", image, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(0, ours.exitCode(), ours.toString());
    String keyId = PublicKeys.keyId(PublicKeys.read(TestKeys.pub(signer)));
    assertTrue(ours.stdout().startsWith(image + ": verified: signed by " + keyId + "\n"), ours.stdout());
    assertTrue(ours.stdout().contains("  signature by " + keyId + " (legacy, " + digest.replace(':', '-') + ".sig)\n"), ours.stdout());
    assertTrue(ours.stdout().contains("  signature by " + keyId + " (bundle, sha256:"), ours.stdout());
    for (String type : types) {
      assertTrue(ours.stdout().contains("  attested: " + type + " by " + keyId + " (legacy, " + digest.replace(':', '-') + ".att)\n"), ours.stdout());
    }
    assertTrue(ours.stdout().contains("  attested: https://slsa.dev/verification_summary/v1 by " + keyId + " (bundle, sha256:"), ours.stdout());

    // The verify stage found the same, and its statement says so for the report.
    JsonNode verifyStage = Json.parse(dev.releasegate.evidence.DsseEnvelope.parse(
        Files.readAllBytes(work.resolve("evidence-released/statements/05-verify.dsse.json"))).payload()).get("predicate");
    TreeSet<String> formats = new TreeSet<>(verifyStage.get("accepted").findValuesAsText("format"));
    assertEquals(new TreeSet<>(List.of("bundle", "legacy")), formats, verifyStage.toString());

    // Both cosigns read the Sigstore bundles once there are any, and ignore the legacy tags; and only with the key.
    Path other = TestKeys.write(work, "other");
    for (String cosign : List.of("cosign", "cosign2")) {
      List<String> wrong = new ArrayList<>(List.of("verify", "--key", TestKeys.pub(other).toString()));
      wrong.addAll(verify(cosign, image));
      assertNotEquals(0, peer(cosign, wrong.toArray(String[]::new)).exitCode(), cosign + " with another key");
    }
  }

  @Test
  void inBundleFormatCosignV3AndV2AndReleasegateFindTheReleaseAndARerunAddsNothing() throws Exception {
    String pipeline = PIPELINE.replace("{name: sign, uses: sign}", "{name: sign, uses: sign, with: {format: bundle}}");
    String image = release("bundled", TestKeys.key(signer), pipeline);
    String digest = image.substring(image.indexOf('@') + 1);
    assertTrue(registry().tags("bundled").stream().noneMatch(tag -> tag.endsWith(".sig") || tag.endsWith(".att")), registry().tags("bundled").toString());
    int referrers = Json.parse(registry().referrers("bundled", digest).orElseThrow()).get("manifests").size();

    List<String> v3 = new ArrayList<>(List.of("verify", "--key", TestKeys.pub(signer).toString()));
    v3.addAll(verify("cosign", image));
    assertEquals(0, peer("cosign", v3.toArray(String[]::new)).exitCode());
    for (String type : List.of("https://slsa.dev/verification_summary/v1", "https://cyclonedx.org/bom", "https://slsa.dev/provenance/v1")) {
      List<String> attestation = new ArrayList<>(List.of("verify-attestation", "--key", TestKeys.pub(signer).toString(), "--type", type));
      attestation.addAll(verify("cosign", image));
      Run attested = peer("cosign", attestation.toArray(String[]::new));
      assertEquals(0, attested.exitCode(), "cosign v3 verify-attestation --type " + type + ": " + attested.output());
    }
    Cli.Result ours = Cli.run(work, "verify-image", image, "--key", TestKeys.pub(signer).toString(), "--insecure-registry",
        "--require-predicate", "https://slsa.dev/verification_summary/v1");
    assertEquals(0, ours.exitCode(), ours.toString());
    List<String> v2 = new ArrayList<>(List.of("verify", "--key", TestKeys.pub(signer).toString()));
    v2.addAll(verify("cosign2", image));
    Run v2verified = peer("cosign2", v2.toArray(String[]::new));
    assertEquals(0, v2verified.exitCode(), "cosign v2.6 reads Sigstore bundles too: " + v2verified.output());

    // A second release of the same commit signs the same statement: its bundle is found and not added again.
    // Its own new statements (each run's are new) and its evidence are added.
    assertEquals(image, release("bundled-again", "bundled", TestKeys.key(signer), pipeline), "the same commit, the same digest");
    JsonNode index = Json.parse(registry().referrers("bundled", digest).orElseThrow());
    List<String> signatures = new ArrayList<>();
    index.get("manifests").forEach(referrer -> {
      if (SigstoreBundles.COSIGN_SIGN_PREDICATE.equals(referrer.at("/annotations/dev.sigstore.bundle.predicateType").asText())) {
        signatures.add(referrer.get("digest").asText());
      }
    });
    assertEquals(1, signatures.size(), index.toString());
    assertTrue(index.get("manifests").size() > referrers, "the second run's statements and evidence are there too");
  }

  @Test
  void inLegacyFormatCosignFallsBackToTheTagsAndATamperedSignatureIsRefused() throws Exception {
    String image = release("legacy", TestKeys.key(signer),
        PIPELINE.replace("{name: sign, uses: sign}", "{name: sign, uses: sign, with: {format: legacy}}"));
    String digest = image.substring(image.indexOf('@') + 1);
    for (String cosign : List.of("cosign", "cosign2")) {
      List<String> args = new ArrayList<>(List.of("verify-attestation", "--key", TestKeys.pub(signer).toString(), "--type",
          "https://slsa.dev/verification_summary/v1"));
      args.addAll(verify(cosign, image));
      Run verified = peer(cosign, args.toArray(String[]::new));
      assertEquals(0, verified.exitCode(), cosign + ": " + verified.output());
    }

    Cli.Result ours = Cli.run(work, "verify-image", image, "--key", TestKeys.pub(signer).toString(), "--insecure-registry",
        "--require-predicate", "https://slsa.dev/verification_summary/v1", "--json");
    assertEquals(0, ours.exitCode(), ours.toString());
    JsonNode report = Json.parse(ours.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(List.of("legacy"), new ArrayList<>(new TreeSet<>(report.get("accepted").findValuesAsText("format"))), report.toString());

    // One signature byte changed in the registry: neither cosign accepts it.
    RegistryAccess access = RegistryAccess.open(registry().address() + "/legacy", new RegistrySettings(true, Releases.environment(), line -> {}));
    String tag = digest.replace(':', '-') + ".sig";
    ObjectNode sig = (ObjectNode) Json.parse(registry().manifest("legacy", tag).orElseThrow());
    ObjectNode annotations = (ObjectNode) sig.at("/layers/0/annotations");
    String signature = annotations.get("dev.cosignproject.cosign/signature").asText();
    byte[] der = java.util.Base64.getDecoder().decode(signature);
    der[der.length - 1] ^= 0x01;
    annotations.put("dev.cosignproject.cosign/signature", java.util.Base64.getEncoder().encodeToString(der));
    access.putManifest(Json.compact(sig), sig.get("mediaType").asText(), tag);
    for (String cosign : List.of("cosign", "cosign2")) {
      List<String> args = new ArrayList<>(List.of("verify", "--key", TestKeys.pub(signer).toString()));
      args.addAll(verify(cosign, image));
      Run tampered = peer(cosign, args.toArray(String[]::new));
      assertNotEquals(0, tampered.exitCode(), cosign + " accepted a tampered signature: " + tampered.output());
    }
  }

  @Test
  void aKeyMadeByCosignSignsARelease() {
    Run generated = peer("cosign", "generate-key-pair");
    assertEquals(0, generated.exitCode(), generated.output());
    assertTrue(Files.exists(work.resolve("cosign.key")) && Files.exists(work.resolve("cosign.pub")));

    String image = release("cosign-key", work.resolve("cosign.key"));
    List<String> args = new ArrayList<>(List.of("verify", "--key", work.resolve("cosign.pub").toString()));
    args.addAll(verify("cosign", image));
    Run verified = peer("cosign", args.toArray(String[]::new));
    assertEquals(0, verified.exitCode(), verified.output());
    Cli.Result ours = Cli.run(work, "verify-image", image, "--key", work.resolve("cosign.pub").toString(), "--insecure-registry");
    assertEquals(0, ours.exitCode(), ours.toString());
  }

  @Test
  void cosignSignsWithAReleasegateKeyAndVerifyImageAcceptsTheSignature() throws IOException {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    Cli.Result keygen = Cli.run(environment, work, "keygen", "--output-prefix", work.resolve("rg").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    String header = Files.readString(work.resolve("rg.key")).lines().findFirst().orElseThrow();
    assertEquals("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----", header);

    for (String cosign : List.of("cosign2", "cosign")) {
      String image = unsigned("by-" + cosign);
      List<String> sign = new ArrayList<>(List.of("sign", "--key", work.resolve("rg.key").toString(), "--tlog-upload=false",
          "--allow-http-registry", "--yes"));
      if (cosign.equals("cosign")) {
        // cosign v3 writes a Sigstore bundle as a referrer unless told to write the legacy .sig tag.
        sign.addAll(List.of("--new-bundle-format=false", "--use-signing-config=false"));
      }
      sign.add(image);
      Run signed = peer(cosign, sign.toArray(String[]::new));
      assertEquals(0, signed.exitCode(), cosign + " sign: " + signed.output());
      Cli.Result ours = Cli.run(work, "verify-image", image, "--key", work.resolve("rg.pub").toString(), "--insecure-registry");
      assertEquals(0, ours.exitCode(), cosign + "'s signature, read by verify-image: " + ours);
      assertTrue(ours.stdout().contains("verified: signed by "), ours.stdout());
    }
  }

  @Test
  void cosignV3SignsAndAttestsInItsDefaultBundleFormatAndVerifyImageReadsTheReferrers() throws IOException {
    Cli.Result keygen = Cli.run(work, "keygen", "--output-prefix", work.resolve("rg").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    String image = unsigned("bundles");
    String digest = image.substring(image.indexOf('@') + 1);
    // Key mode without a transparency log, as cosign v3 asks for it: a signing config without one.
    Run config = peer("cosign", "signing-config", "create", "--out", work.resolve("no-tlog.json").toString());
    assertEquals(0, config.exitCode(), config.output());
    String[] common = {"--key", work.resolve("rg.key").toString(), "--signing-config", work.resolve("no-tlog.json").toString(),
        "--allow-http-registry", "--yes"};
    Run signed = peer("cosign", concat(new String[] {"sign"}, common, new String[] {image}));
    assertEquals(0, signed.exitCode(), signed.output());
    Path predicate = Files.writeString(work.resolve("predicate.json"), "{\"checked\": true}");
    Run attested = peer("cosign", concat(new String[] {"attest", "--type", "https://example.test/checked/v1", "--predicate", predicate.toString()},
        common, new String[] {image}));
    assertEquals(0, attested.exitCode(), attested.output());
    assertEquals(registry().hasReferrersApi() ? List.of() : List.of("sha256-" + digest.substring(7)), registry().tags("bundles"),
        "cosign v3 wrote bundles as referrers (through the API, or the referrers tag where the registry has none), no .sig or .att tag");

    Cli.Result ours = Cli.run(work, "verify-image", image, "--key", work.resolve("rg.pub").toString(), "--insecure-registry",
        "--require-predicate", "https://example.test/checked/v1", "--json");
    assertEquals(0, ours.exitCode(), ours.toString());
    JsonNode report = dev.releasegate.base.Json.parse(ours.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(1, report.get("signers").size(), report.toString());
    assertTrue(report.get("verified").asBoolean(), report.toString());
    assertTrue(report.get("attested").toString().contains("https://example.test/checked/v1"), report.toString());
    assertEquals(2, report.get("accepted").size(), "cosign's signature and its attestation: " + report);
    for (JsonNode accepted : report.get("accepted")) {
      assertEquals("bundle", accepted.get("format").asText(), report.toString());
      assertTrue(accepted.get("location").asText().matches("sha256:[0-9a-f]{64}"), report.toString());
      assertEquals(report.at("/signers/0").asText(), accepted.get("signer").asText());
    }
    assertTrue(report.get("accepted").findValuesAsText("predicateType").equals(List.of("https://example.test/checked/v1")), report.toString());

    Path other = TestKeys.write(work, "other");
    Cli.Result wrongKey = Cli.run(work, "verify-image", image, "--key", TestKeys.pub(other).toString(), "--insecure-registry");
    assertEquals(1, wrongKey.exitCode(), wrongKey.toString());
    assertTrue(wrongKey.stdout().contains("Sigstore bundle sha256:") && wrongKey.stdout().contains("envelope signature does not verify with key"),
        wrongKey.stdout());
    Cli.Result missing = Cli.run(work, "verify-image", image, "--key", work.resolve("rg.pub").toString(), "--insecure-registry",
        "--require-predicate", "https://slsa.dev/verification_summary/v1");
    assertEquals(1, missing.exitCode(), "a bundle attestation of another type is no verdict: " + missing);
    assertTrue(missing.stdout().contains("no verified attestation with predicate type https://slsa.dev/verification_summary/v1")
        && !missing.stdout().contains("no attestations for"), "the bundle attestation was found, only not of that type: " + missing.stdout());
  }

  @Test
  void cosignV2AttestsAndVerifyImageReadsTheAttestationFromItsTag() throws IOException {
    Cli.Result keygen = Cli.run(work, "keygen", "--output-prefix", work.resolve("rg").toString());
    assertEquals(0, keygen.exitCode(), keygen.toString());
    String image = unsigned("v2-attested");
    String[] common = {"--key", work.resolve("rg.key").toString(), "--tlog-upload=false", "--allow-http-registry", "--yes"};
    assertEquals(0, peer("cosign2", concat(new String[] {"sign"}, common, new String[] {image})).exitCode());
    Path predicate = Files.writeString(work.resolve("predicate.json"), "{\"checked\": true}");
    Run attested = peer("cosign2", concat(new String[] {"attest", "--type", "https://example.test/checked/v1", "--predicate", predicate.toString()},
        common, new String[] {image}));
    assertEquals(0, attested.exitCode(), attested.output());

    Cli.Result ours = Cli.run(work, "verify-image", image, "--key", work.resolve("rg.pub").toString(), "--insecure-registry",
        "--require-predicate", "https://example.test/checked/v1");
    assertEquals(0, ours.exitCode(), ours.toString());
    String tag = image.substring(image.indexOf('@') + 1).replace(':', '-');
    assertTrue(ours.stdout().contains("  attested: https://example.test/checked/v1 by ") && ours.stdout().contains("(legacy, " + tag + ".att)"),
        ours.stdout());
    assertTrue(ours.stdout().contains("  signature by ") && ours.stdout().contains("(legacy, " + tag + ".sig)"), ours.stdout());
  }

  /**
   * The keyless bundles of the fixtures are genuine Fulcio and Rekor material, but of artifact.txt and
   * of another image: pushed as referrers of this image, each passes the certificate, SCT, identity and
   * log checks, offline, and is then refused for what it signs, naming both digests.
   */
  @Test
  void genuineKeylessBundlesOfOtherArtifactsPassEveryCheckButTheSubject() throws IOException, InterruptedException {
    String image = unsigned("keyless-bundles");
    String digest = image.substring(image.indexOf('@') + 1);
    Referrers referrers = referrers("keyless-bundles");
    List<String> files = List.of("bundle.v3.message-signature.sigstore.json", "bundle.v3_1.message-signature.sigstore.json",
        "bundle.dsse.slsa-provenance.sigstore.json", "cosign-oci-attestation.sigstore.json");
    for (String file : files) {
      byte[] bundle = CosignFixtures.bundleFile(file);
      referrers.push(referrers.describe(digest), SigstoreBundles.ARTIFACT_TYPE, List.of(Referrers.Blob.of(SigstoreBundles.ARTIFACT_TYPE, bundle, Map.of())),
          Map.of());
    }
    String artifact = "sha256:" + dev.releasegate.base.Digests.sha256Hex(CosignFixtures.bundleFile("artifact.txt"));
    String trustedRoot = dev.releasegate.testing.Fixtures.file("sigstore-bundles/trusted_root.public-good.json").toString();

    Cli.Result anyone = Cli.run(work, "verify-image", image, "--certificate-identity-regexp", ".", "--certificate-oidc-issuer-regexp", "^https://",
        "--trusted-root", trustedRoot, "--insecure-registry");
    assertEquals(1, anyone.exitCode(), anyone.toString());
    String out = anyone.stdout();
    assertEquals(2, count(out, "signs " + artifact + ", not the image " + digest), out);
    assertEquals(1, count(out, "statement subjects name " + artifact + ", image is " + digest), out);
    assertEquals(1, count(out, "statement subjects name sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4, image is " + digest),
        out);
    assertFalse(out.contains("certificate") || out.contains("Fulcio") || out.contains("signed by "), "every other check passed: " + out);

    // The identity is checked: an anchored expression that none of the signers matches.
    Cli.Result someoneElse = Cli.run(work, "verify-image", image, "--certificate-identity-regexp", "^https://github.com/example/",
        "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com", "--trusted-root", trustedRoot, "--insecure-registry");
    assertEquals(1, someoneElse.exitCode(), someoneElse.toString());
    assertTrue(someoneElse.stdout().contains("signed by https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main"
        + " (issuer https://token.actions.githubusercontent.com), expected matching /^https://github.com/example// (issuer https://token.actions.githubusercontent.com)"),
        someoneElse.stdout());
    assertFalse(someoneElse.stdout().contains("not the image"), someoneElse.stdout());

    // The certificates are checked: Sigstore's staging root does not trust public-good's Fulcio.
    Cli.Result staging = Cli.run(work, "verify-image", image, "--certificate-identity-regexp", ".", "--certificate-oidc-issuer-regexp", ".",
        "--trusted-root", dev.releasegate.testing.Fixtures.file("sigstore-bundles/trusted_root.staging.json").toString(), "--insecure-registry");
    assertEquals(1, staging.exitCode(), staging.toString());
    assertEquals(files.size(), count(staging.stdout(), "Fulcio certificate was not valid"), staging.stdout());

    // Verified with a key, a keyless bundle is not by that key.
    Cli.Result withKey = Cli.run(work, "verify-image", image, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(1, withKey.exitCode(), withKey.toString());
    assertEquals(files.size(), count(withKey.stdout(), "signed keylessly (a Fulcio certificate), not with a key"), withKey.stdout());
  }

  /** Each bad bundle alone on an image: verify-image exits 1 and names what is wrong with it. */
  @Test
  void aBadBundleIsRefusedForWhatIsWrongWithIt() throws Exception {
    DsseSigner key = new DsseSigner(new KeySigner(CosignKeyFile.read(TestKeys.key(signer), TestKeys.PASSWORD.toCharArray())));
    java.security.PublicKey pub = PublicKeys.read(TestKeys.pub(signer));
    String elsewhere = "sha256:" + "e1".repeat(32);

    String image = unsigned("other-digest");
    String digest = image.substring(image.indexOf('@') + 1);
    writer("other-digest", digest, pub).attach(key.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, SigstoreBundles.signStatement(elsewhere)).envelope(),
        SigstoreBundles.COSIGN_SIGN_PREDICATE);
    assertRefused(image, "statement subjects name " + elsewhere + ", image is " + digest);

    image = unsigned("truncated");
    digest = image.substring(image.indexOf('@') + 1);
    byte[] whole = SigstoreBundles.keyBundle(pub, key.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, SigstoreBundles.signStatement(digest)).envelope());
    Referrers truncated = referrers("truncated");
    String manifest = truncated.push(truncated.describe(digest), SigstoreBundles.ARTIFACT_TYPE,
        List.of(Referrers.Blob.of(SigstoreBundles.ARTIFACT_TYPE, java.util.Arrays.copyOf(whole, whole.length / 2), Map.of())), Map.of());
    assertRefused(image, "Sigstore bundle " + manifest + ": the bundle is not JSON");

    if (!registry().hasReferrersApi()) {
      // Only a client-kept referrers index can list what the registry does not index under this subject.
      image = unsigned("listed");
      digest = image.substring(image.indexOf('@') + 1);
      RegistryAccess access = access("listed");
      Referrers listed = new Referrers(access);
      // Another manifest in the repository (every image of the example has the same digest), and a bundle about it.
      String otherDigest = listed.push(listed.describe(digest), "application/example", List.of(), Map.of());
      String foreign = listed.push(listed.describe(otherDigest), SigstoreBundles.ARTIFACT_TYPE,
          List.of(Referrers.Blob.of(SigstoreBundles.ARTIFACT_TYPE, whole, Map.of())), Map.of());
      // A bundle the index lists, deleted from the registry since.
      String missing = listed.push(listed.describe(digest), SigstoreBundles.ARTIFACT_TYPE,
          List.of(Referrers.Blob.of(SigstoreBundles.ARTIFACT_TYPE, whole, Map.of())), Map.of("deleted", "yes"));
      ObjectNode index = Json.object().put("schemaVersion", 2).put("mediaType", Referrers.INDEX_MEDIA_TYPE);
      index.putArray("manifests")
          .add(Json.object().put("mediaType", Referrers.MANIFEST_MEDIA_TYPE).put("digest", foreign).put("size", 1)
              .put("artifactType", SigstoreBundles.ARTIFACT_TYPE))
          .add(Json.object().put("mediaType", Referrers.MANIFEST_MEDIA_TYPE).put("digest", missing).put("size", 1)
              .put("artifactType", SigstoreBundles.ARTIFACT_TYPE));
      access.putManifest(Json.compact(index), Referrers.INDEX_MEDIA_TYPE, Referrers.fallbackTag(digest));
      registry().deleteManifest("listed", missing);
      Cli.Result refused = assertRefused(image, "Sigstore bundle " + foreign + ": refers to " + otherDigest + ", not " + digest);
      assertTrue(refused.stdout().contains("Sigstore bundle " + missing + ": listed as a referrer, but the registry has no such manifest"),
          refused.stdout());
    }
  }

  private Cli.Result assertRefused(String image, String problem) {
    Cli.Result result = Cli.run(work, "verify-image", image, "--key", TestKeys.pub(signer).toString(), "--insecure-registry");
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains(problem), result.stdout());
    return result;
  }

  private RegistryAccess access(String repository) {
    return RegistryAccess.open(registry().address() + "/" + repository, new RegistrySettings(true, Releases.environment(), line -> {}));
  }

  private Referrers referrers(String repository) {
    return new Referrers(access(repository));
  }

  private SigstoreBundles.Writer writer(String repository, String digest, java.security.PublicKey key) throws IOException, InterruptedException {
    return new SigstoreBundles.Writer(access(repository), digest, key, java.time.Instant.now());
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  /** An image in the registry by digest, with nothing attached: a release with the build stage only. */
  private String unsigned(String name) {
    Path project = TestRepos.copyBuilt(template, work.resolve(name), Map.of("releasegate.yaml",
        "apiVersion: releasegate/v1\nstages:\n  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}\n"));
    ReleaseResult result = Releases.run(Releases.request(project, signer, work.resolve("evidence-" + name))
        .imageRepository(registry().address() + "/" + name).baseImage(base).insecureRegistry(true).version("1.0.0").build()).result();
    assertEquals(ReleaseStatus.RELEASED, result.status(), result.stages().toString());
    assertEquals(List.of(), registry().tags(name), "nothing attached yet");
    return registry().address() + "/" + name + "@" + result.digest().orElseThrow();
  }

  @Test
  void craneValidatesTheImageAndItsAttachments() {
    String image = release("validated", TestKeys.key(signer));
    String digest = image.substring(image.indexOf('@') + 1);
    Run full = peer("crane", "validate", "--remote", image);
    assertEquals(0, full.exitCode(), "the image, layers included: " + full.output());
    for (String suffix : List.of(".sig", ".att")) {
      // cosign's own .sig and .att fail crane's full validation (a diff_id per layer that is no tar),
      // so the attachments are validated as crane can: manifest, config and every blob's presence.
      Run fast = peer("crane", "validate", "--fast", "--remote", registry().address() + "/validated:" + digest.replace(':', '-') + suffix);
      assertEquals(0, fast.exitCode(), suffix + ": " + fast.output());
    }
    assertFalse(full.output().contains("FAIL"), full.output());
  }
}
