package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Reads the real cosign signatures of ../shared/fixtures/cosign-signatures (see FIXTURES.md). */
final class CosignFixtures {
  /** containers/image's on-disk signature format: this prefix, then JSON (internal/signature/sigstore.go). */
  private static final byte[] SIGSTORE_PREFIX = "\0sigstore-json\n".getBytes(StandardCharsets.US_ASCII);

  /** The three fixture images: directory, repository the payload names, image manifest digest, key. */
  enum Image {
    VALID("dir-img-cosign-valid", "192.168.64.2:5000/cosign-signed-single-sample",
        "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00", "cosign.pub"),
    VALID_WITH_TAG("dir-img-cosign-valid-with-tag", "192.168.64.2:5000/skopeo-signed",
        "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00", "cosign.pub"),
    KEY_REKOR_VALID("dir-img-cosign-key-rekor-valid", "192.168.64.2:5000/cosign-signed/key-1",
        "sha256:0489474da8ea22426ece86ace6c1c0026ab2fd3cdfbbd62b7e94650266c37d9a", "cosign2.pub");

    final String dir;
    final String repository;
    final String digest;
    final String keyFile;

    Image(String dir, String repository, String digest, String keyFile) {
      this.dir = dir;
      this.repository = repository;
      this.digest = digest;
      this.keyFile = keyFile;
    }

    PublicKey key() {
      return PublicKeys.read(Fixtures.file("cosign-signatures/" + keyFile));
    }

    /** The image manifest the signature is for; its sha256 must be {@link #digest}. */
    byte[] manifest() throws IOException {
      byte[] manifest = Files.readAllBytes(Fixtures.file("cosign-signatures/" + dir + "/manifest.json"));
      assertEquals(digest, "sha256:" + Digests.sha256Hex(manifest));
      return manifest;
    }

    Signature signature() throws IOException {
      return read(Files.readAllBytes(Fixtures.file("cosign-signatures/" + dir + "/signature-1")));
    }
  }

  /** One signature as cosign stored it in the registry: the layer blob and the descriptor annotations. */
  record Signature(String mimeType, byte[] payload, Map<String, String> annotations) {
    /** The layer as the registry code hands it over: descriptor built from the blob itself. */
    CosignLayer layer() {
      return new CosignLayer(
          new LayerDescriptor(mimeType, "sha256:" + Digests.sha256Hex(payload), payload.length, annotations), payload);
    }
  }

  private CosignFixtures() {}

  static Signature read(byte[] file) throws IOException {
    assertArrayEquals(SIGSTORE_PREFIX, Arrays.copyOf(file, SIGSTORE_PREFIX.length), "not a sigstore-json signature");
    JsonNode json = Json.parse(Arrays.copyOfRange(file, SIGSTORE_PREFIX.length, file.length));
    Map<String, String> annotations = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.get("annotations").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      annotations.put(entry.getKey(), entry.getValue().textValue());
    }
    return new Signature(
        json.get("mimeType").textValue(), Base64.getDecoder().decode(json.get("payload").textValue()), annotations);
  }

  /** The dir-img-cosign-valid signature layer. */
  static CosignLayer validLayer() {
    try {
      return Image.VALID.signature().layer();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The file under sigstore-bundles/. */
  static byte[] bundleFile(String name) throws IOException {
    return Files.readAllBytes(Fixtures.file("sigstore-bundles/" + name));
  }

  /** The DSSE envelope inside a Sigstore bundle, as the JSON an .att layer holds. */
  static byte[] bundleEnvelope(String name) throws IOException {
    return Json.compact(Json.parse(bundleFile(name)).get("dsseEnvelope"));
  }

  /** The leaf certificate of a keyless Sigstore bundle. */
  static java.security.cert.X509Certificate bundleCertificate(String name) throws Exception {
    JsonNode material = Json.parse(bundleFile(name)).get("verificationMaterial");
    String raw = material.has("certificate")
        ? material.get("certificate").get("rawBytes").textValue()
        : material.get("x509CertificateChain").get("certificates").get(0).get("rawBytes").textValue();
    return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(Base64.getDecoder().decode(raw)));
  }

  static byte[] derivedPayload(Image image) throws IOException {
    return Files.readAllBytes(Fixtures.file("derived/" + image.dir + ".simplesigning-payload.json"));
  }

  /** The image digest cosign's keyless attestation (cosign-oci-attestation.sigstore.json) is about. */
  static final String KEYLESS_ATTESTED_IMAGE = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
  static final String KEYLESS_ATTESTED_PREDICATE = "https://cosign.sigstore.dev/attestation/v1";

  /**
   * The .sig layer cosign writes for a keyless message-signature bundle (certificate, chain, Rekor
   * bundle), with artifact.txt, what the bundle signs, as its payload.
   */
  static CosignLayer keylessSignatureLayer(String name) throws Exception {
    dev.sigstore.trustroot.SigstoreTrustedRoot root;
    try (var in = Files.newInputStream(Fixtures.file("sigstore-bundles/trusted_root.public-good.json"))) {
      root = dev.sigstore.trustroot.SigstoreTrustedRoot.from(in);
    }
    dev.sigstore.bundle.Bundle bundle = dev.sigstore.bundle.Bundle.from(new java.io.StringReader(new String(bundleFile(name), StandardCharsets.UTF_8)));
    return CosignLayer.keylessSignature(bundleFile("artifact.txt"), KeylessSignature.fromBundle(bundle, root));
  }

  /** cosign's keyless attestation as the .att layer cosign writes: the envelope, its certificate and its dsse log entry. */
  static CosignLayer keylessAttestationLayer() throws IOException {
    String name = "cosign-oci-attestation.sigstore.json";
    CosignLayer layer = CosignLayer.attestation(bundleEnvelope(name), KEYLESS_ATTESTED_PREDICATE);
    for (Map.Entry<String, String> annotation : KeylessSignature.attestationAnnotations(new String(bundleFile(name), StandardCharsets.UTF_8)).entrySet()) {
      layer = layer.withAnnotation(annotation.getKey(), annotation.getValue());
    }
    return layer;
  }
}
