package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyless signatures in cosign's legacy layer form, verified offline: real Fulcio certificates, SCTs
 * and Rekor SETs from ../shared/fixtures/sigstore-bundles, turned into the annotations cosign writes.
 * The message-signature bundles sign artifact.txt, so their "payload" here is that file; the cosign
 * attestation is a real {@code cosign attest} envelope about an image digest.
 */
class KeylessTrustTest {
  private static final Path PUBLIC_GOOD = Fixtures.file("sigstore-bundles/trusted_root.public-good.json");
  private static final Path STAGING = Fixtures.file("sigstore-bundles/trusted_root.staging.json");
  private static final KeylessIdentity APPU = new KeylessIdentity("appu@google.com", "https://accounts.google.com");
  private static final KeylessIdentity CODY = new KeylessIdentity("cody@soyland.com", "https://github.com/login/oauth");
  private static final String COSIGN_IMAGE = CosignFixtures.KEYLESS_ATTESTED_IMAGE;
  private static final String COSIGN_PREDICATE = CosignFixtures.KEYLESS_ATTESTED_PREDICATE;

  private static byte[] artifact;

  @BeforeAll
  static void load() throws Exception {
    artifact = CosignFixtures.bundleFile("artifact.txt");
  }

  private static CosignLayer signatureLayer(String bundleFile) throws Exception {
    return CosignFixtures.keylessSignatureLayer(bundleFile);
  }

  private static SignatureTrust.Outcome check(SignatureTrust trust, CosignLayer layer, byte[] signed) {
    Map<String, String> annotations = layer.descriptor().annotations();
    return trust.check(signed, Base64.getDecoder().decode(annotations.get(CosignLayer.SIGNATURE_ANNOTATION)), annotations, Optional.empty());
  }

  private static SignatureTrust.Outcome without(SignatureTrust trust, CosignLayer layer, String annotation) {
    Map<String, String> annotations = new HashMap<>(layer.descriptor().annotations());
    annotations.remove(annotation);
    return trust.check(artifact, Base64.getDecoder().decode(annotations.get(CosignLayer.SIGNATURE_ANNOTATION)), annotations, Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bundle.v3.message-signature.sigstore.json", "bundle.v3_1.message-signature.sigstore.json"})
  void acceptsARealKeylessSignature(String bundleFile) throws Exception {
    SignatureTrust.Outcome outcome = check(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, APPU), signatureLayer(bundleFile), artifact);
    assertEquals(Optional.empty(), outcome.problem());
    assertEquals(Optional.of(APPU.toString()), outcome.signer());
    assertEquals(OptionalLong.of(1697034484L), outcome.integratedTime());
  }

  @Test
  void theChainAnnotationIsOptional() throws Exception {
    // cosign writes it, but the trusted root supplies the same intermediate and root.
    assertEquals(Optional.empty(), without(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, APPU),
        signatureLayer("bundle.v3.message-signature.sigstore.json"), CosignLayer.CHAIN_ANNOTATION).problem());
  }

  @Test
  void rejectsAnotherIdentityOrIssuer() throws Exception {
    CosignLayer layer = signatureLayer("bundle.v3.message-signature.sigstore.json");
    KeylessIdentity other = new KeylessIdentity("mallory@example.com", "https://accounts.google.com");
    assertEquals(Optional.of("signed by appu@google.com (issuer https://accounts.google.com), expected " + other),
        check(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, other), layer, artifact).problem());
    KeylessIdentity otherIssuer = new KeylessIdentity("appu@google.com", "https://token.actions.githubusercontent.com");
    assertEquals(Optional.of("signed by appu@google.com (issuer https://accounts.google.com), expected " + otherIssuer),
        check(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, otherIssuer), layer, artifact).problem());
  }

  @Test
  void rejectsATamperedPayload() throws Exception {
    byte[] tampered = artifact.clone();
    tampered[0] ^= 1;
    assertEquals(Optional.of("signature does not verify with the certificate's key"),
        check(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, APPU), signatureLayer("bundle.v3.message-signature.sigstore.json"), tampered).problem());
  }

  @Test
  void rejectsTheWrongTrustedRoot() throws Exception {
    String problem = check(KeylessTrust.fromTrustedRoot(STAGING, APPU), signatureLayer("bundle.v3.message-signature.sigstore.json"), artifact)
        .problem().orElseThrow();
    assertTrue(problem.startsWith("certificate is not trusted: "), problem);
  }

  @Test
  void needsTheCertificateAndTheLogEntry() throws Exception {
    KeylessTrust trust = KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, APPU);
    CosignLayer layer = signatureLayer("bundle.v3.message-signature.sigstore.json");
    assertEquals(Optional.of("no dev.sigstore.cosign/certificate annotation (a keyless signature carries its certificate)"),
        without(trust, layer, CosignLayer.CERTIFICATE_ANNOTATION).problem());
    assertEquals(Optional.of("no dev.sigstore.cosign/bundle annotation (a keyless signature needs its log entry)"),
        without(trust, layer, CosignLayer.BUNDLE_ANNOTATION).problem());
  }

  @Test
  void rejectsAForgedOrForeignLogEntry() throws Exception {
    KeylessTrust trust = KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, APPU);
    CosignLayer layer = signatureLayer("bundle.v3.message-signature.sigstore.json");
    RekorBundle bundle = RekorBundle.parse(layer.descriptor().annotations().get(CosignLayer.BUNDLE_ANNOTATION));

    RekorBundle moved = new RekorBundle(bundle.signedEntryTimestamp(), bundle.body(), bundle.integratedTime(), bundle.logIndex() + 1, bundle.logId());
    assertEquals(Optional.of("rekor bundle: signed entry timestamp does not verify with the key of log " + bundle.logId()),
        check(trust, layer.withAnnotation(CosignLayer.BUNDLE_ANNOTATION, moved.toAnnotation()), artifact).problem());

    // A genuine SET over another entry (cosign's attestation): the log vouches for something else.
    String foreign = KeylessSignature.attestationAnnotations(new String(CosignFixtures.bundleFile("cosign-oci-attestation.sigstore.json"),
        StandardCharsets.UTF_8)).get(CosignLayer.BUNDLE_ANNOTATION);
    String problem = check(trust, layer.withAnnotation(CosignLayer.BUNDLE_ANNOTATION, foreign), artifact).problem().orElseThrow();
    assertTrue(problem.startsWith("rekor bundle: "), problem);
  }

  @Test
  void refusesAMissingOrBrokenTrustedRoot(@TempDir Path work) throws IOException {
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> KeylessTrust.fromTrustedRoot(work.resolve("none.json"), APPU));
    assertEquals(work.resolve("none.json") + ": no such file", missing.getMessage());
    Path broken = Files.writeString(work.resolve("root.json"), "{\"mediaType\": 1}");
    InvalidInputException bad = assertThrows(InvalidInputException.class, () -> KeylessTrust.fromTrustedRoot(broken, APPU));
    assertTrue(bad.getMessage().startsWith(broken + ": not a usable trusted root: "), bad.getMessage());
  }

  private static CosignLayer cosignAttestationLayer() throws IOException {
    return CosignFixtures.keylessAttestationLayer();
  }

  @Test
  void acceptsARealCosignKeylessAttestation() throws Exception {
    AttestationVerification result = AttestationVerifier.trusting(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, CODY))
        .verify(COSIGN_IMAGE, List.of(cosignAttestationLayer()), Set.of(COSIGN_PREDICATE));
    assertEquals(List.of(), result.problems());
    assertEquals(Optional.of(CODY.toString()), result.checks().get(0).signer());
    assertEquals(Set.of(COSIGN_PREDICATE), result.predicateTypes());
  }

  @Test
  void rejectsACosignKeylessAttestationForAnotherSignerOrImage() throws Exception {
    assertEquals(List.of("attestation 1: envelope signed by cody@soyland.com (issuer https://github.com/login/oauth), expected " + APPU),
        AttestationVerifier.trusting(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, APPU)).verify(COSIGN_IMAGE, List.of(cosignAttestationLayer()), Set.of())
            .problems());
    String other = "sha256:" + "0".repeat(64);
    assertEquals(List.of("attestation 1: statement subjects name " + COSIGN_IMAGE + ", image is " + other),
        AttestationVerifier.trusting(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, CODY)).verify(other, List.of(cosignAttestationLayer()), Set.of())
            .problems());
  }

  @Test
  void rejectsAnAttestationWhoseLoggedPayloadIsAnother() throws Exception {
    // Re-sign nothing: swap in the message-signature's log entry, genuine but about artifact.txt.
    CosignLayer layer = cosignAttestationLayer();
    String foreign = signatureLayer("bundle.v3.message-signature.sigstore.json").descriptor().annotations().get(CosignLayer.BUNDLE_ANNOTATION);
    List<String> problems = AttestationVerifier.trusting(KeylessTrust.fromTrustedRoot(PUBLIC_GOOD, CODY))
        .verify(COSIGN_IMAGE, List.of(layer.withAnnotation(CosignLayer.BUNDLE_ANNOTATION, foreign)), Set.of()).problems();
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("attestation 1: envelope rekor bundle: "), problems.get(0));
  }
}
