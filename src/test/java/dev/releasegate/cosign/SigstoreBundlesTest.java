package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.Json;
import dev.releasegate.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Sigstore bundles become attestation layers, and why the others do not, on the fixtures' real bundles. */
class SigstoreBundlesTest {
  private static final String MANIFEST = "sha256:" + "ab".repeat(32);

  private static byte[] fixture(String name) throws Exception {
    return Files.readAllBytes(Fixtures.file("sigstore-bundles/" + name));
  }

  @Test
  void aKeySignedDsseBundleBecomesTheAttestationLayerCosignV2WouldHaveWritten() throws Exception {
    // A key-mode bundle as cosign v3 writes one: the DSSE envelope of a real keyless bundle under a public key hint.
    JsonNode real = Json.parse(fixture("cosign-oci-attestation.sigstore.json"));
    String bundle = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{\"hint\":\"x\"}},"
        + "\"dsseEnvelope\":" + real.get("dsseEnvelope") + "}";

    SigstoreBundles.Found found = SigstoreBundles.envelope(MANIFEST, bundle.getBytes(StandardCharsets.UTF_8), "https://slsa.dev/provenance/v1");

    CosignLayer layer = found.envelope().orElseThrow();
    assertEquals(CosignLayer.DSSE_MEDIA_TYPE, layer.descriptor().mediaType());
    assertEquals(Map.of(CosignLayer.PREDICATE_TYPE_ANNOTATION, "https://slsa.dev/provenance/v1"), layer.descriptor().annotations());
    DsseEnvelope envelope = DsseEnvelope.parse(layer.blob());
    assertArrayEquals(java.util.Base64.getDecoder().decode(real.at("/dsseEnvelope/payload").asText()), envelope.payload());
  }

  @Test
  void keylessAndMessageSignatureBundlesAreNamedNotVerified() throws Exception {
    assertEquals(Optional.of("a keyless Sigstore bundle (certificate); releasegate verifies key-signed bundles only, so far"),
        SigstoreBundles.envelope(MANIFEST, fixture("cosign-oci-attestation.sigstore.json"), "").problem());
    assertEquals(Optional.of("a message-signature bundle; releasegate verifies DSSE bundles only, so far"),
        SigstoreBundles.envelope(MANIFEST, fixture("managed-key.staging.sigstore.json"), "").problem());
  }

  @Test
  void whatIsNoBundleIsRefused() {
    assertEquals(Optional.of("the bundle is not JSON"), SigstoreBundles.envelope(MANIFEST, "{".getBytes(StandardCharsets.UTF_8), "").problem());
    assertEquals(Optional.of("the bundle's media type is 'text/plain', not a Sigstore bundle's"),
        SigstoreBundles.envelope(MANIFEST, "{\"mediaType\":\"text/plain\"}".getBytes(StandardCharsets.UTF_8), "").problem());
    assertEquals(Optional.of("the bundle has no DSSE envelope"), SigstoreBundles.envelope(MANIFEST,
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{}}}".getBytes(StandardCharsets.UTF_8),
        "").problem());
  }
}
