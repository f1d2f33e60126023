package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.Dsse;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.evidence.Statements;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttestationVerifierTest {
  private static final String IMAGE = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
  private static final String OTHER = "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a";
  private static final String PROVENANCE = "https://slsa.dev/provenance/v1";
  private static final String SCAN = "https://cosign.sigstore.dev/attestation/vuln/v1";

  private final KeyPair key = ImageSignatureVerifierTest.newKey();

  /** A real cosign attestation (Statement v0.1) signed by a Fulcio certificate's key, about an image digest. */
  @Test
  void acceptsCosignsOwnAttestationEnvelope() throws Exception {
    byte[] envelope = CosignFixtures.bundleEnvelope("cosign-oci-attestation.sigstore.json");
    PublicKey certificateKey = CosignFixtures.bundleCertificate("cosign-oci-attestation.sigstore.json").getPublicKey();
    CosignLayer layer = CosignLayer.attestation(envelope, "https://cosign.sigstore.dev/attestation/v1");
    AttestationVerification result = AttestationVerifier.forKeys(PublicKeys.parse(pem(certificateKey), "cert"))
        .verify(IMAGE, List.of(layer), Set.of("https://cosign.sigstore.dev/attestation/v1"));
    assertEquals(List.of(), result.problems());
    assertTrue(result.verified());
    assertEquals(Set.of("https://cosign.sigstore.dev/attestation/v1"), result.predicateTypes());
    // The payload is exactly the derived statement.
    assertEquals(new String(Files.readAllBytes(Fixtures.file("derived/cosign-oci-attestation.statement.json")), StandardCharsets.UTF_8),
        new String(DsseEnvelope.parse(envelope).payload(), StandardCharsets.UTF_8));
  }

  @Test
  void acceptsTheSlsaProvenanceEnvelopeForItsSubject() throws Exception {
    byte[] envelope = CosignFixtures.bundleEnvelope("bundle.dsse.slsa-provenance.sigstore.json");
    PublicKey certificateKey = CosignFixtures.bundleCertificate("bundle.dsse.slsa-provenance.sigstore.json").getPublicKey();
    String artifact = "sha256:" + Digests.sha256Hex(CosignFixtures.bundleFile("artifact.txt"));
    AttestationVerification result = AttestationVerifier.forKeys(PublicKeys.parse(pem(certificateKey), "cert"))
        .verify(artifact, List.of(CosignLayer.attestation(envelope, PROVENANCE)), Set.of(PROVENANCE));
    assertEquals(List.of(), result.problems());
  }

  @Test
  void reportsPredicateTypesAndAMissingRequiredOne() {
    List<CosignLayer> layers = List.of(layer(IMAGE, PROVENANCE, key), layer(IMAGE, "https://releasegate.dev/push/v1", key));
    AttestationVerification ok = AttestationVerifier.forKeys(key.getPublic()).verify(IMAGE, layers, Set.of(PROVENANCE));
    assertTrue(ok.verified());
    assertEquals(Set.of(PROVENANCE, "https://releasegate.dev/push/v1"), ok.predicateTypes());
    assertEquals(PublicKeys.keyId(key.getPublic()), ok.checks().get(0).signer().orElseThrow());

    AttestationVerification missing = AttestationVerifier.forKeys(key.getPublic()).verify(IMAGE, layers, Set.of(PROVENANCE, SCAN));
    assertFalse(missing.verified());
    assertEquals(List.of("no verified attestation with predicate type " + SCAN), missing.problems());
  }

  @Test
  void anAttestationByAnotherKeyDoesNotCount() {
    KeyPair other = ImageSignatureVerifierTest.newKey();
    AttestationVerification result = AttestationVerifier.forKeys(key.getPublic())
        .verify(IMAGE, List.of(layer(IMAGE, PROVENANCE, other)), Set.of(PROVENANCE));
    assertFalse(result.verified());
    assertEquals(List.of("attestation 1: envelope signature does not verify with key " + PublicKeys.keyId(key.getPublic()),
        "no verified attestation with predicate type " + PROVENANCE), result.problems());
  }

  @Test
  void anAttestationAboutAnotherImageDoesNotCount() {
    AttestationVerification result = AttestationVerifier.forKeys(key.getPublic()).verify(IMAGE, List.of(layer(OTHER, PROVENANCE, key)), Set.of());
    assertEquals(List.of("attestation 1: statement subjects name " + OTHER + ", image is " + IMAGE), result.problems());
    assertFalse(result.verified());
  }

  @Test
  void theAnnotationMustAgreeWithTheSignedPredicateType() {
    CosignLayer lying = layer(IMAGE, "https://releasegate.dev/smoke/v1", key).withAnnotation(CosignLayer.PREDICATE_TYPE_ANNOTATION, SCAN);
    AttestationVerification result = AttestationVerifier.forKeys(key.getPublic()).verify(IMAGE, List.of(lying), Set.of(SCAN));
    assertEquals(List.of("attestation 1: predicateType annotation " + SCAN + " does not match the statement's https://releasegate.dev/smoke/v1",
        "no verified attestation with predicate type " + SCAN), result.problems());
  }

  @Test
  void malformedLayersAreNamed() {
    CosignLayer good = layer(IMAGE, PROVENANCE, key);
    byte[] tampered = good.blob();
    tampered[tampered.length - 3] ^= 1;
    assertEquals(List.of("attestation 1: envelope digest sha256:" + Digests.sha256Hex(tampered) + " does not match layer digest " + good.descriptor().digest()),
        problems(new CosignLayer(good.descriptor(), tampered)));
    assertEquals(List.of("attestation 1: envelope is not valid JSON: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
        problems(CosignLayer.attestation("nope".getBytes(StandardCharsets.UTF_8), PROVENANCE)));
    assertEquals(List.of("attestation 1: envelope: unexpected key 'extra'"),
        problems(CosignLayer.attestation("{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":\"\"}],\"extra\":1}".getBytes(StandardCharsets.UTF_8), PROVENANCE)));
    DsseEnvelope other = new DsseSigner(new KeySigner(key)).sign("text/plain", "hi".getBytes(StandardCharsets.UTF_8)).envelope();
    assertEquals(List.of("attestation 1: envelope payload type text/plain is not application/vnd.in-toto+json"),
        problems(CosignLayer.attestation(Json.compact(other.toJson()), PROVENANCE)));
    DsseEnvelope notStatement = new DsseSigner(new KeySigner(key)).sign(Dsse.IN_TOTO_PAYLOAD_TYPE, "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8)).envelope();
    assertEquals(List.of("attestation 1: statement _type \"x\" is not an in-toto statement"),
        problems(CosignLayer.attestation(Json.compact(notStatement.toJson()), PROVENANCE)));
    assertEquals(List.of("attestation 1: media type application/vnd.dev.cosign.simplesigning.v1+json is not application/vnd.dsse.envelope.v1+json"),
        problems(CosignFixtures.validLayer()));
  }

  @Test
  void noLayersMeansNoAttestations() {
    AttestationVerification result = AttestationVerifier.forKeys(key.getPublic()).verify(IMAGE, List.of(), Set.of());
    assertFalse(result.verified());
    assertEquals(List.of("no attestations for " + IMAGE), result.problems());
  }

  private List<String> problems(CosignLayer layer) {
    return AttestationVerifier.forKeys(key.getPublic()).verify(IMAGE, List.of(layer), Set.of()).problems();
  }

  private static CosignLayer layer(String subjectDigest, String predicateType, KeyPair signer) {
    ObjectNode statement = Statements.statement(
        List.of(Statements.subject("127.0.0.1:5000/app", "sha256", subjectDigest.substring("sha256:".length()))), predicateType, Json.object());
    DsseEnvelope envelope = new DsseSigner(new KeySigner(signer)).sign(Dsse.IN_TOTO_PAYLOAD_TYPE, Json.compact(statement)).envelope();
    return CosignLayer.attestation(Json.compact(envelope.toJson()), predicateType);
  }

  private static String pem(PublicKey key) {
    return PemBlocks.encode("PUBLIC KEY", key.getEncoded());
  }
}
