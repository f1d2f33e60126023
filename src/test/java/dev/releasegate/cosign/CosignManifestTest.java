package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.cosign.CosignFixtures.Image;
import dev.releasegate.sign.Ecdsa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CosignManifestTest {
  private static final String DIGEST = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";
  private static final String ZERO = "0001-01-01T00:00:00Z";

  @Test
  void tagsFollowCosignsLegacyScheme() {
    assertEquals("sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.sig", AttachmentKind.SIGNATURES.tag(DIGEST));
    assertEquals("sha256-634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00.att", AttachmentKind.ATTESTATIONS.tag(DIGEST));
    assertThrows(IllegalArgumentException.class, () -> AttachmentKind.SIGNATURES.tag("sha512:abc"));
  }

  /**
   * The bytes go-containerregistry writes for cosign: {@code json.Marshal(v1.Manifest)} and
   * {@code json.Marshal(v1.ConfigFile)} of {@code empty.Signatures()} plus one {@code mutate.Append}.
   */
  @Test
  void oneSignatureIsWrittenAsCosignWritesIt() throws IOException {
    CosignFixtures.Signature fixture = Image.VALID.signature();
    CosignLayer layer = CosignLayer.signature(fixture.payload(),
        java.util.Base64.getDecoder().decode(fixture.annotations().get(CosignLayer.SIGNATURE_ANNOTATION)));
    assertEquals(fixture.layer(), layer, "signature() builds the descriptor cosign stored");

    CosignManifest manifest = CosignManifest.empty(AttachmentKind.SIGNATURES).append(layer, DuplicateCheck.identical()).manifest();
    String payloadDigest = "sha256:" + Digests.sha256Hex(fixture.payload());
    String config = "{\"architecture\":\"\",\"created\":\"" + ZERO + "\",\"history\":[{\"created\":\"" + ZERO + "\"}],\"os\":\"\","
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + payloadDigest + "\"]},\"config\":{}}";
    assertEquals(config, new String(manifest.configBytes(), StandardCharsets.UTF_8));
    String configDigest = "sha256:" + Digests.sha256Hex(config.getBytes(StandardCharsets.UTF_8));
    String expected = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length() + ",\"digest\":\"" + configDigest + "\"},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + fixture.payload().length
        + ",\"digest\":\"" + payloadDigest + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\""
        + fixture.annotations().get(CosignLayer.SIGNATURE_ANNOTATION) + "\"}}]}";
    assertEquals(expected, new String(manifest.manifestBytes(), StandardCharsets.UTF_8));
    assertEquals("sha256:" + Digests.sha256Hex(expected.getBytes(StandardCharsets.UTF_8)), manifest.digest());
    assertEquals(new LayerDescriptor(CosignManifest.OCI_CONFIG, configDigest, config.length(), Map.of()), manifest.config());
    assertEquals(CosignManifest.OCI_MANIFEST, manifest.mediaType());
  }

  @Test
  void theRekorBundleAnnotationIsKeptVerbatimAndEscapedAsGoEscapes() throws IOException {
    CosignLayer layer = Image.KEY_REKOR_VALID.signature().layer();
    CosignManifest manifest = CosignManifest.empty(AttachmentKind.SIGNATURES).append(layer, DuplicateCheck.identical()).manifest();
    String json = new String(manifest.manifestBytes(), StandardCharsets.UTF_8);
    String bundle = layer.descriptor().annotations().get(CosignLayer.BUNDLE_ANNOTATION);
    // Keys sorted as Go sorts a map: the bundle before the signature.
    assertTrue(json.contains("\"annotations\":{\"dev.cosignproject.cosign/signature\":\""), json);
    assertTrue(json.contains("\"dev.sigstore.cosign/bundle\":\"" + bundle.replace("\"", "\\\"") + "\""), json);
    assertTrue(json.indexOf("dev.cosignproject.cosign/signature") < json.indexOf("dev.sigstore.cosign/bundle"));
    // The annotation itself is what cosign wrote: RekorBundle reproduces it from its fields.
    assertEquals(bundle, RekorBundle.parse(bundle).toAnnotation());
  }

  @Test
  void appendingKeepsTheOldLayersAndGrowsTheConfig() throws IOException {
    CosignLayer first = Image.KEY_REKOR_VALID.signature().layer();
    CosignLayer second = Image.VALID.signature().layer();
    CosignManifest one = CosignManifest.empty(AttachmentKind.SIGNATURES).append(first, DuplicateCheck.identical()).manifest();
    // As the registry code would: push, pull, parse, append.
    CosignManifest fetched = CosignManifest.parse(AttachmentKind.SIGNATURES, one.manifestBytes());
    assertArrayEquals(one.manifestBytes(), fetched.manifestBytes(), "parse and write round-trip byte for byte");

    CosignManifest.Appended appended = fetched.append(second, DuplicateCheck.identical());
    assertTrue(appended.changed());
    CosignManifest two = appended.manifest();
    assertEquals(java.util.List.of(first.descriptor(), second.descriptor()), two.layers());
    String config = new String(two.configBytes(), StandardCharsets.UTF_8);
    assertTrue(config.contains("\"history\":[{\"created\":\"" + ZERO + "\"},{\"created\":\"" + ZERO + "\"}]"), config);
    assertTrue(config.contains("\"diff_ids\":[\"" + first.descriptor().digest() + "\",\"" + second.descriptor().digest() + "\"]"), config);
    assertEquals(1, fetched.layers().size(), "append does not change the manifest it is called on");
  }

  @Test
  void theSameSignatureIsNotAddedTwice() throws IOException {
    CosignLayer layer = Image.VALID.signature().layer();
    CosignManifest one = CosignManifest.empty(AttachmentKind.SIGNATURES).append(layer, DuplicateCheck.identical()).manifest();
    CosignManifest.Appended again = one.append(layer, DuplicateCheck.identical());
    assertFalse(again.changed());
    assertSame(one, again.manifest());
    assertEquals(Optional.of(layer.descriptor()), again.duplicateOf());
  }

  @Test
  void reSigningTheSamePayloadWithTheSameKeyIsADuplicateByKeyOnly() {
    KeyPair key = ImageSignatureVerifierTest.newKey();
    KeyPair other = ImageSignatureVerifierTest.newKey();
    byte[] payload = SimpleSigningPayload.forImage("127.0.0.1:5000/app", DIGEST).bytes();
    CosignLayer first = CosignLayer.signature(payload, Ecdsa.sign(key.getPrivate(), payload));
    CosignLayer resigned = CosignLayer.signature(payload, Ecdsa.sign(key.getPrivate(), payload));
    assertNotEquals(first, resigned, "ECDSA signatures are randomized");
    CosignManifest one = CosignManifest.empty(AttachmentKind.SIGNATURES).append(first, DuplicateCheck.sameKey(key.getPublic())).manifest();

    assertFalse(one.append(resigned, DuplicateCheck.sameKey(key.getPublic())).changed());
    assertTrue(one.append(resigned, DuplicateCheck.identical()).changed());
    CosignLayer byOther = CosignLayer.signature(payload, Ecdsa.sign(other.getPrivate(), payload));
    assertEquals(2, one.append(byOther, DuplicateCheck.sameKey(other.getPublic())).manifest().layers().size());
    // A new annotation the old layer lacks makes it another signature, as in cosign's dd.Find.
    assertTrue(one.append(resigned.withAnnotation(CosignLayer.CERTIFICATE_ANNOTATION, "pem"), DuplicateCheck.sameKey(key.getPublic())).changed());
    // Another payload is never a duplicate.
    byte[] otherPayload = SimpleSigningPayload.forImage("127.0.0.1:5000/other", DIGEST).bytes();
    assertTrue(one.append(CosignLayer.signature(otherPayload, Ecdsa.sign(key.getPrivate(), otherPayload)), DuplicateCheck.sameKey(key.getPublic())).changed());
  }

  @Test
  void attestationLayersAreDsseEnvelopesAnnotatedAsCosignAnnotatesThem() {
    byte[] envelope = "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AA==\"}]}".getBytes(StandardCharsets.UTF_8);
    CosignLayer layer = CosignLayer.attestation(envelope, "https://slsa.dev/provenance/v1");
    assertEquals(CosignLayer.DSSE_MEDIA_TYPE, layer.descriptor().mediaType());
    assertEquals(Map.of("dev.cosignproject.cosign/signature", "", "predicateType", "https://slsa.dev/provenance/v1"), layer.descriptor().annotations());

    CosignManifest one = CosignManifest.empty(AttachmentKind.ATTESTATIONS).append(layer, DuplicateCheck.identical()).manifest();
    String json = new String(one.manifestBytes(), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"annotations\":{\"dev.cosignproject.cosign/signature\":\"\",\"predicateType\":\"https://slsa.dev/provenance/v1\"}"), json);
    assertFalse(one.append(CosignLayer.attestation(envelope, "https://slsa.dev/provenance/v1"), DuplicateCheck.identical()).changed());
    byte[] another = new String(envelope, StandardCharsets.UTF_8).replace("AA==", "AQ==").getBytes(StandardCharsets.UTF_8);
    assertEquals(2, one.append(CosignLayer.attestation(another, "https://slsa.dev/provenance/v1"), DuplicateCheck.identical()).manifest().layers().size());
    assertThrows(IllegalArgumentException.class, () -> one.append(CosignFixtures.validLayer(), DuplicateCheck.identical()));
  }

  @Test
  void anEmptyManifestIsNeverWritten() {
    CosignManifest empty = CosignManifest.empty(AttachmentKind.SIGNATURES);
    assertEquals(0, empty.layers().size());
    assertThrows(IllegalStateException.class, empty::manifestBytes);
    assertThrows(IllegalStateException.class, empty::configBytes);
  }

  @Test
  void dockerMediaTypesAreReadAndKept() throws IOException {
    String layer = Image.VALID.signature().layer().descriptor().digest();
    String docker = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":1,\"digest\":\"" + DIGEST + "\"},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":261,\"digest\":\"" + layer + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"x\"}}]}";
    CosignManifest parsed = CosignManifest.parse(AttachmentKind.SIGNATURES, docker.getBytes(StandardCharsets.UTF_8));
    assertEquals(CosignManifest.DOCKER_MANIFEST, parsed.mediaType());
    assertEquals(CosignManifest.DOCKER_CONFIG, parsed.config().mediaType());
    assertEquals(Map.of("dev.cosignproject.cosign/signature", "x"), parsed.layers().get(0).annotations());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'schemaVersion':1,'mediaType':'M','config':C,'layers':[]} | manifest: schemaVersion must be 2",
        "{'schemaVersion':2,'mediaType':'application/vnd.oci.image.index.v1+json','config':C,'layers':[]} | manifest: media type application/vnd.oci.image.index.v1+json is not an image manifest (expected application/vnd.oci.image.manifest.v1+json)",
        "{'schemaVersion':2,'config':C,'layers':[]} | manifest: mediaType must be a string",
        "{'schemaVersion':2,'mediaType':'M','config':{'mediaType':'application/vnd.docker.container.image.v1+json','size':1,'digest':'D'},'layers':[]} | config: media type application/vnd.docker.container.image.v1+json, expected application/vnd.oci.image.config.v1+json",
        "{'schemaVersion':2,'mediaType':'M','config':C,'layers':[{'mediaType':'application/vnd.dsse.envelope.v1+json','size':1,'digest':'D'}]} | layer 1: media type application/vnd.dsse.envelope.v1+json, expected application/vnd.dev.cosign.simplesigning.v1+json",
        "{'schemaVersion':2,'mediaType':'M','config':C,'layers':[{'mediaType':'S','size':1,'digest':'D','urls':['http://x']}]} | layer 1: unexpected key \"urls\"",
        "{'schemaVersion':2,'mediaType':'M','config':C,'layers':[{'mediaType':'S','size':-1,'digest':'D'}]} | layer 1: size must be a non-negative integer",
        "{'schemaVersion':2,'mediaType':'M','config':C,'layers':[{'mediaType':'S','size':1,'digest':'sha256:AB'}]} | layer 1: digest must be sha256:<64 hex>, found sha256:AB",
        "{'schemaVersion':2,'mediaType':'M','config':C,'layers':[{'mediaType':'S','size':1,'digest':'D','annotations':{'a':1}}]} | layer 1 annotations: \"a\" must be a string",
        "{'schemaVersion':2,'mediaType':'M','config':C,'layers':[],'subject':C} | manifest: unexpected key \"subject\"",
        "{'schemaVersion':2,'mediaType':'M','config':C} | manifest: layers must be an array",
      })
  void parseIsStrict(String template, String message) {
    String json = template
        .replace("C", "{'mediaType':'application/vnd.oci.image.config.v1+json','size':1,'digest':'D'}")
        .replace("'M'", "'" + CosignManifest.OCI_MANIFEST + "'")
        .replace("'S'", "'" + SimpleSigningPayload.MEDIA_TYPE + "'")
        .replace("'D'", "'" + DIGEST + "'")
        .replace('\'', '"');
    IOException e = assertThrows(IOException.class, () -> CosignManifest.parse(AttachmentKind.SIGNATURES, json.getBytes(StandardCharsets.UTF_8)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void moreLayersThanCosignReadsAreRefused() {
    StringBuilder layers = new StringBuilder();
    for (int i = 0; i <= CosignManifest.MAX_LAYERS; i++) {
      layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(SimpleSigningPayload.MEDIA_TYPE).append("\",\"size\":1,\"digest\":\"").append(DIGEST).append("\"}");
    }
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + CosignManifest.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"" + CosignManifest.OCI_CONFIG
        + "\",\"size\":1,\"digest\":\"" + DIGEST + "\"},\"layers\":[" + layers + "]}";
    IOException e = assertThrows(IOException.class, () -> CosignManifest.parse(AttachmentKind.SIGNATURES, json.getBytes(StandardCharsets.UTF_8)));
    assertEquals("manifest has 1001 layers, more than the 1000 cosign reads", e.getMessage());
  }
}
