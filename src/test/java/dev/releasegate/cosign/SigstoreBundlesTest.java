package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a Sigstore bundle found as a referrer says it signs, and how, on the fixtures' real bundles. */
class SigstoreBundlesTest {
  private static final String IMAGE = "sha256:" + "ab".repeat(32);
  private static final String COSIGN_IMAGE = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";

  private static byte[] fixture(String name) throws IOException {
    return Files.readAllBytes(Fixtures.file("sigstore-bundles/" + name));
  }

  @Test
  void aDsseBundleSaysWhatItsStatementIsAbout() throws IOException {
    SigstoreBundle bundle = SigstoreBundle.parse(fixture("cosign-oci-attestation.sigstore.json"), "https://cosign.sigstore.dev/attestation/v1");
    assertTrue(bundle.keyless());
    assertTrue(bundle.messageDigest().isEmpty());
    JsonNode real = Json.parse(fixture("cosign-oci-attestation.sigstore.json"));
    assertArrayEquals(Base64.getDecoder().decode(real.at("/dsseEnvelope/payload").asText()), bundle.envelope().orElseThrow().payload());
    assertEquals(Optional.of("https://cosign.sigstore.dev/attestation/v1"), bundle.predicateType());
    assertEquals(Optional.of(COSIGN_IMAGE), bundle.signedDigest(IMAGE), "its one subject, although another digest was asked for");
    assertEquals(Optional.of(COSIGN_IMAGE), bundle.signedDigest(COSIGN_IMAGE));
    // The log entry's promise, as cosign's legacy annotation carries it.
    RekorBundle entry = bundle.logEntry().orElseThrow();
    assertEquals(real.at("/verificationMaterial/tlogEntries/0/integratedTime").asLong(), entry.integratedTime());
    assertEquals(real.at("/verificationMaterial/tlogEntries/0/canonicalizedBody").asText(), entry.body());
  }

  @Test
  void aMessageSignatureBundleSignsItsMessageDigest() throws IOException {
    String artifact = "sha256:" + Digests.sha256Hex(fixture("artifact.txt"));
    for (String file : new String[] {"bundle.v3_1.message-signature.sigstore.json", "managed-key.public-good.sigstore.json"}) {
      SigstoreBundle bundle = SigstoreBundle.parse(fixture(file), "");
      assertTrue(bundle.envelope().isEmpty(), file);
      assertEquals(artifact, bundle.messageDigest().orElseThrow(), file);
      assertEquals(Optional.of(artifact), bundle.signedDigest(IMAGE), file);
      assertEquals(Optional.empty(), bundle.predicateType(), file);
    }
    assertTrue(SigstoreBundle.parse(fixture("bundle.v3_1.message-signature.sigstore.json"), "").keyless());
    assertFalse(SigstoreBundle.parse(fixture("managed-key.public-good.sigstore.json"), "").keyless());
  }

  @Test
  void whatIsNoBundleIsRefusedSayingWhy() {
    assertEquals("the bundle is not JSON", refused("{"));
    assertEquals("the bundle's media type is 'text/plain', not a Sigstore bundle's", refused("{\"mediaType\":\"text/plain\"}"));
    String bundle = "{\"mediaType\":\"" + SigstoreBundles.ARTIFACT_TYPE + "\",";
    assertEquals("the bundle has neither a certificate nor a public key hint", refused(bundle + "\"verificationMaterial\":{}}"));
    String keyed = bundle + "\"verificationMaterial\":{\"publicKey\":{\"hint\":\"x\"}}";
    assertEquals("the bundle has neither a DSSE envelope nor a message signature", refused(keyed + "}"));
    assertEquals("its message digest is SHA2_512, not SHA2_256",
        refused(keyed + ",\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_512\",\"digest\":\"AA==\"},\"signature\":\"AA==\"}}"));
    assertEquals("its message digest or signature is missing",
        refused(keyed + ",\"messageSignature\":{\"messageDigest\":{\"algorithm\":\"SHA2_256\",\"digest\":\"AA==\"},\"signature\":\"AA==\"}}"));
    assertTrue(refused(keyed + ",\"dsseEnvelope\":{\"payload\":1}}").startsWith("its DSSE envelope: "));
  }

  @Test
  void aLogEntryPromiseThatCannotBeReadRefusesTheBundleRatherThanGoingUnchecked() throws IOException {
    String bundle = new String(fixture("managed-key.public-good.sigstore.json"), StandardCharsets.UTF_8);
    String broken = bundle.replaceFirst("\"integratedTime\":\\s*\"\\d+\"", "\"integratedTime\": \"soon\"");
    assertTrue(!broken.equals(bundle), "the fixture has an integrated time to break");
    assertTrue(refused(broken).startsWith("its log entry is malformed: "), refused(broken));
  }

  private static String refused(String json) {
    return assertThrows(IOException.class, () -> SigstoreBundle.parse(json.getBytes(StandardCharsets.UTF_8), "")).getMessage();
  }
}
