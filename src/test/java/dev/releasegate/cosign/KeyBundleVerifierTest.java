package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The managed-key bundles of sigstore-conformance, which sigstore-java refuses to read. */
class KeyBundleVerifierTest {
  private static final PublicKey MANAGED = PublicKeys.read(Fixtures.file("sigstore-bundles/managed-key.pub"));
  private static final String PUBLIC_GOOD_LOG = "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d";
  private static final String STAGING_LOG = "d32f30a3c32d639c2b762205a21c7bb07788e68283a4ae6f42118723a1bea496";

  private final TransparencyLogKeys publicGood = TransparencyLogKeys.fromTrustedRoot(Fixtures.file("sigstore-bundles/trusted_root.public-good.json"));
  private final TransparencyLogKeys staging = TransparencyLogKeys.fromTrustedRoot(Fixtures.file("sigstore-bundles/trusted_root.staging.json"));

  @Test
  void acceptsThePublicGoodBundleWithItsLogEntry() throws IOException {
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).withTransparencyLog(publicGood)
        .verifyArtifact(artifact(), bundle("managed-key.public-good.sigstore.json"));
    assertEquals(Optional.empty(), result.problem());
    assertEquals(OptionalLong.of(1766077479L), result.integratedTime());
  }

  @Test
  void acceptsTheStagingBundleWithTheStagingRoot() throws IOException {
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).withTransparencyLog(staging)
        .verifyArtifact(artifact(), bundle("managed-key.staging.sigstore.json"));
    assertEquals(Optional.empty(), result.problem());
    assertEquals(OptionalLong.of(1767810965L), result.integratedTime());
  }

  @Test
  void theStagingRootHasAnEd25519RekorV2LogBesideTheEcdsaOne() {
    assertEquals(List.of(TransparencyLogKeys.ECDSA_P256, TransparencyLogKeys.ED25519),
        staging.logs().stream().map(TransparencyLogKeys.LogKey::keyDetails).toList());
    assertEquals("EdDSA", staging.logs().get(1).key().orElseThrow().getAlgorithm());
    assertEquals(STAGING_LOG, staging.logs().get(0).logId());
    // A Rekor v1 log id is the SHA-256 of its DER key.
    assertEquals(STAGING_LOG, Digests.sha256Hex(staging.logs().get(0).key().orElseThrow().getEncoded()));
  }

  @Test
  void rejectsAnEntryFromALogTheRootDoesNotTrust() throws IOException {
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).withTransparencyLog(staging)
        .verifyArtifact(artifact(), bundle("managed-key.public-good.sigstore.json"));
    assertEquals(Optional.of("entry is from log " + PUBLIC_GOOD_LOG + ", which is not a trusted transparency log"), result.problem());
  }

  @Test
  void rejectsTheWrongKey() throws IOException {
    PublicKey cosign = PublicKeys.read(Fixtures.file("cosign-signatures/cosign.pub"));
    for (String file : List.of("managed-key.public-good.sigstore.json", "managed-key.staging.sigstore.json")) {
      KeyBundleVerification result = KeyBundleVerifier.forKey(cosign).verifyArtifact(artifact(), bundle(file));
      assertEquals(Optional.of("signature does not verify with key " + PublicKeys.keyId(cosign)), result.problem());
    }
  }

  @Test
  void rejectsATamperedArtifact() throws IOException {
    byte[] tampered = artifact();
    tampered[5] ^= 1;
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).verifyArtifact(tampered, bundle("managed-key.public-good.sigstore.json"));
    assertEquals(Optional.of("bundle signs sha256:" + Digests.sha256Hex(artifact()) + ", artifact is sha256:" + Digests.sha256Hex(tampered)),
        result.problem());
  }

  @Test
  void withoutLogKeysOnlyTheSignatureIsChecked() throws IOException {
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).verifyArtifact(artifact(), bundle("managed-key.staging.sigstore.json"));
    assertTrue(result.verified());
    assertEquals(OptionalLong.empty(), result.integratedTime());
  }

  @Test
  void rejectsATamperedInclusionPromise() throws IOException {
    byte[] bundle = edit(entry -> {
      long index = Long.parseLong(entry.get("logIndex").asText());
      entry.put("logIndex", Long.toString(index + 1));
    });
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).withTransparencyLog(publicGood).verifyArtifact(artifact(), bundle);
    assertEquals(Optional.of("signed entry timestamp does not verify with the key of log " + PUBLIC_GOOD_LOG), result.problem());
  }

  @Test
  void rejectsATamperedInclusionProof() throws IOException {
    byte[] bundle = edit(entry -> {
      ObjectNode proof = (ObjectNode) entry.get("inclusionProof");
      byte[] first = Base64.getDecoder().decode(proof.get("hashes").get(0).asText());
      first[0] ^= 1;
      ((com.fasterxml.jackson.databind.node.ArrayNode) proof.get("hashes")).set(0, Base64.getEncoder().encodeToString(first));
    });
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).withTransparencyLog(publicGood).verifyArtifact(artifact(), bundle);
    assertEquals(Optional.of("inclusion proof does not lead to the root hash"), result.problem());
  }

  @Test
  void rejectsACheckpointNotSignedByTheLog() throws IOException {
    byte[] bundle = edit(entry -> {
      ObjectNode checkpoint = (ObjectNode) entry.get("inclusionProof").get("checkpoint");
      String envelope = checkpoint.get("envelope").asText();
      checkpoint.put("envelope", envelope.replace("rekor.sigstore.dev - 1193050959916656506", "rekor.sigstore.dev - 1193050959916656507"));
    });
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).withTransparencyLog(publicGood).verifyArtifact(artifact(), bundle);
    assertEquals(Optional.of("checkpoint is not signed by log " + PUBLIC_GOOD_LOG), result.problem());
  }

  @Test
  void keylessBundlesAreReferredToTheKeylessVerifier() throws IOException {
    KeyBundleVerification result = KeyBundleVerifier.forKey(MANAGED).verifyArtifact(artifact(), bundle("bundle.v3.message-signature.sigstore.json"));
    assertEquals(Optional.of("bundle is signed with a certificate, not a public key: verify it keylessly"), result.problem());
  }

  private static byte[] artifact() throws IOException {
    return CosignFixtures.bundleFile("artifact.txt");
  }

  private static byte[] bundle(String name) throws IOException {
    return CosignFixtures.bundleFile(name);
  }

  private static byte[] edit(Consumer<ObjectNode> entryEdit) throws IOException {
    ObjectNode bundle = (ObjectNode) Json.parse(bundle("managed-key.public-good.sigstore.json"));
    entryEdit.accept((ObjectNode) bundle.get("verificationMaterial").get("tlogEntries").get(0));
    return Json.compact(bundle);
  }
}
