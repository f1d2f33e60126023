package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.cosign.CosignFixtures.Image;
import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImageSignatureVerifierTest {
  private static final PublicKey COSIGN = Image.VALID.key();
  private static final PublicKey COSIGN2 = Image.KEY_REKOR_VALID.key();
  private static final PublicKey REKOR = PublicKeys.read(Fixtures.file("cosign-signatures/rekor.pub"));
  private static final String REKOR_LOG_ID = "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d";

  @ParameterizedTest
  @EnumSource(Image.class)
  void acceptsEveryFixtureSignatureWithItsKey(Image image) throws IOException {
    SignatureVerification result = ImageSignatureVerifier.forKeys(image.key())
        .verify(image.repository, image.digest, List.of(image.signature().layer()));
    assertTrue(result.verified(), result.problems().toString());
    assertEquals(List.of(), result.problems());
    assertEquals(Optional.of(PublicKeys.keyId(image.key())), result.accepted().get(0).signer());
  }

  @Test
  void theImageDigestIsTheFixtureManifestDigest() throws IOException {
    for (Image image : Image.values()) {
      image.manifest(); // asserts sha256(manifest.json) == image.digest
    }
  }

  @ParameterizedTest
  @EnumSource(Image.class)
  void rejectsEveryFixtureSignatureWithTheOtherKey(Image image) throws IOException {
    PublicKey other = image.key().equals(COSIGN) ? COSIGN2 : COSIGN;
    SignatureVerification result = ImageSignatureVerifier.forKeys(other)
        .verify(image.repository, image.digest, List.of(image.signature().layer()));
    assertFalse(result.verified());
    assertEquals(List.of("signature 1: signature does not verify with key " + PublicKeys.keyId(other)), result.problems());
  }

  @Test
  void namesEveryKeyItTried() throws IOException {
    KeyPair stranger = newKey();
    SignatureVerification result = ImageSignatureVerifier.forKeys(COSIGN2, stranger.getPublic())
        .verify(Image.VALID.repository, Image.VALID.digest, List.of(Image.VALID.signature().layer()));
    assertEquals(List.of("signature 1: signature does not verify with any of keys "
        + PublicKeys.keyId(COSIGN2) + ", " + PublicKeys.keyId(stranger.getPublic())), result.problems());
    // With the right key among several, the right one is named.
    SignatureVerification ok = ImageSignatureVerifier.forKeys(COSIGN2, COSIGN)
        .verify(Image.VALID.repository, Image.VALID.digest, List.of(Image.VALID.signature().layer()));
    assertEquals(Optional.of(PublicKeys.keyId(COSIGN)), ok.accepted().get(0).signer());
  }

  @Test
  void rejectsAPayloadWithOneByteChanged() throws IOException {
    CosignFixtures.Signature signature = Image.VALID.signature();
    LayerDescriptor original = signature.layer().descriptor();
    byte[] tampered = signature.payload().clone();
    int at = new String(tampered, StandardCharsets.UTF_8).indexOf("cosign-signed");
    tampered[at] = 'k'; // cosign-signed-single-sample -> kosign-…

    // As fetched: the manifest still names the original blob.
    SignatureVerification asFetched = ImageSignatureVerifier.forKeys(COSIGN)
        .verify(Image.VALID.repository, Image.VALID.digest, List.of(new CosignLayer(original, tampered)));
    assertEquals(List.of("signature 1: payload digest sha256:" + Digests.sha256Hex(tampered)
        + " does not match layer digest " + original.digest()), asFetched.problems());

    // As if the attacker rewrote the manifest too: the signature no longer verifies.
    LayerDescriptor rewritten = new LayerDescriptor(original.mediaType(), "sha256:" + Digests.sha256Hex(tampered), tampered.length, original.annotations());
    SignatureVerification rewrittenResult = ImageSignatureVerifier.forKeys(COSIGN)
        .verify(Image.VALID.repository, Image.VALID.digest, List.of(new CosignLayer(rewritten, tampered)));
    assertEquals(List.of("signature 1: signature does not verify with key " + PublicKeys.keyId(COSIGN)), rewrittenResult.problems());
  }

  @Test
  void rejectsASignatureForImageAWhenCheckingImageB() throws IOException {
    String imageB = Image.KEY_REKOR_VALID.digest;
    SignatureVerification result = ImageSignatureVerifier.forKeys(COSIGN)
        .verify(Image.VALID.repository, imageB, List.of(Image.VALID.signature().layer()));
    assertEquals(List.of("signature 1: payload names " + Image.VALID.digest + ", image is " + imageB), result.problems());
  }

  @Test
  void rejectsAnotherRepository() throws IOException {
    SignatureVerification result = ImageSignatureVerifier.forKeys(COSIGN)
        .verify("192.168.64.2:5000/other", Image.VALID.digest, List.of(Image.VALID.signature().layer()));
    assertEquals(List.of("signature 1: payload names repository 192.168.64.2:5000/cosign-signed-single-sample, image is in 192.168.64.2:5000/other"),
        result.problems());
    // The tag of a skopeo-written reference does not matter, the repository does.
    SignatureVerification tagged = ImageSignatureVerifier.forKeys(COSIGN)
        .verify("192.168.64.2:5000/skopeo-signed-2", Image.VALID_WITH_TAG.digest, List.of(Image.VALID_WITH_TAG.signature().layer()));
    assertEquals(List.of("signature 1: payload names repository 192.168.64.2:5000/skopeo-signed:tag, image is in 192.168.64.2:5000/skopeo-signed-2"),
        tagged.problems());
  }

  @Test
  void rejectsAValidlySignedPayloadWithAnUnknownKeyInCritical() throws IOException {
    KeyPair key = newKey();
    String digest = Image.VALID.digest;
    byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/app\"},\"image\":{\"docker-manifest-digest\":\"" + digest
        + "\"},\"type\":\"cosign container image signature\",\"hijack\":\"127.0.0.1:5000/evil\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    CosignLayer layer = CosignLayer.signature(payload, Ecdsa.sign(key.getPrivate(), payload));
    SignatureVerification result = ImageSignatureVerifier.forKeys(key.getPublic()).verify("127.0.0.1:5000/app", digest, List.of(layer));
    assertEquals(List.of("signature 1: payload: unknown key \"hijack\" in critical"), result.problems());
  }

  @Test
  void acceptsOwnSignatureOfABuiltPayload() {
    KeyPair key = newKey();
    String digest = Image.VALID.digest;
    byte[] payload = SimpleSigningPayload.forImage("127.0.0.1:5000/app", digest).bytes();
    CosignLayer layer = CosignLayer.signature(payload, Ecdsa.sign(key.getPrivate(), payload));
    assertTrue(ImageSignatureVerifier.forKeys(key.getPublic()).verify("127.0.0.1:5000/app", digest, List.of(layer)).verified());
  }

  @Test
  void noLayersMeansNoSignatures() {
    SignatureVerification result = ImageSignatureVerifier.forKeys(COSIGN).verify(Image.VALID.repository, Image.VALID.digest, List.of());
    assertFalse(result.verified());
    assertEquals(List.of("no signatures for " + Image.VALID.digest), result.problems());
  }

  @Test
  void malformedSignatureAnnotationsAreNamed() throws IOException {
    CosignLayer layer = Image.VALID.signature().layer();
    byte[] der = Base64.getDecoder().decode(layer.descriptor().annotations().get(CosignLayer.SIGNATURE_ANNOTATION));
    assertEquals(List.of("signature 1: signature annotation is not standard base64"),
        problems(layer.withAnnotation(CosignLayer.SIGNATURE_ANNOTATION, "not*base64")));
    byte[] trailing = java.util.Arrays.copyOf(der, der.length + 1);
    assertEquals(List.of("signature 1: signature is not an ASN.1 DER ECDSA signature"),
        problems(layer.withAnnotation(CosignLayer.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(trailing))));
    assertEquals(List.of("signature 1: signature is not an ASN.1 DER ECDSA signature"),
        problems(layer.withAnnotation(CosignLayer.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(new byte[64]))));
    assertEquals(List.of("signature 1: empty dev.cosignproject.cosign/signature annotation"),
        problems(layer.withAnnotation(CosignLayer.SIGNATURE_ANNOTATION, "")));
    Map<String, String> none = new HashMap<>(layer.descriptor().annotations());
    none.remove(CosignLayer.SIGNATURE_ANNOTATION);
    LayerDescriptor d = layer.descriptor();
    assertEquals(List.of("signature 1: no dev.cosignproject.cosign/signature annotation"),
        problems(new CosignLayer(new LayerDescriptor(d.mediaType(), d.digest(), d.size(), none), layer.blob())));
    assertEquals(List.of("signature 1: media type application/octet-stream is not application/vnd.dev.cosign.simplesigning.v1+json"),
        problems(new CosignLayer(new LayerDescriptor("application/octet-stream", d.digest(), d.size(), d.annotations()), layer.blob())));
  }

  @Test
  void oneGoodLayerAmongBadOnesVerifiesAndTheBadOnesAreStillReported() throws IOException {
    CosignLayer good = Image.VALID.signature().layer();
    CosignLayer bad = Image.VALID_WITH_TAG.signature().layer();
    SignatureVerification result = ImageSignatureVerifier.forKeys(COSIGN).verify(Image.VALID.repository, Image.VALID.digest, List.of(bad, good));
    assertTrue(result.verified());
    assertEquals(2, result.accepted().get(0).layer());
    assertEquals(List.of("signature 1: payload names repository 192.168.64.2:5000/skopeo-signed:tag, image is in 192.168.64.2:5000/cosign-signed-single-sample"),
        result.problems());
  }

  @Test
  void verifiesTheRekorBundleWithTheRekorKey() throws IOException {
    Image image = Image.KEY_REKOR_VALID;
    for (TransparencyLogKeys logs : List.of(
        TransparencyLogKeys.of(REKOR),
        TransparencyLogKeys.fromTrustedRoot(Fixtures.file("sigstore-bundles/trusted_root.public-good.json")))) {
      SignatureVerification result = ImageSignatureVerifier.trusting(KeyTrust.of(COSIGN2).withTransparencyLog(logs).requiringTransparencyLog())
          .verify(image.repository, image.digest, List.of(image.signature().layer()));
      assertEquals(List.of(), result.problems());
      assertEquals(OptionalLong.of(1674251859L), result.accepted().get(0).integratedTime());
    }
  }

  @Test
  void rejectsARekorBundleThatDoesNotVerify() throws IOException {
    Image image = Image.KEY_REKOR_VALID;
    CosignLayer layer = image.signature().layer();
    RekorBundle bundle = RekorBundle.parse(layer.descriptor().annotations().get(CosignLayer.BUNDLE_ANNOTATION));
    ImageSignatureVerifier verifier = ImageSignatureVerifier.trusting(KeyTrust.of(COSIGN2).withTransparencyLog(TransparencyLogKeys.of(REKOR)));

    RekorBundle otherIndex = new RekorBundle(bundle.signedEntryTimestamp(), bundle.body(), bundle.integratedTime(), bundle.logIndex() + 1, bundle.logId());
    assertEquals(List.of("signature 1: rekor bundle: signed entry timestamp does not verify with the key of log " + REKOR_LOG_ID),
        verifier.verify(image.repository, image.digest, List.of(layer.withAnnotation(CosignLayer.BUNDLE_ANNOTATION, otherIndex.toAnnotation()))).problems());

    assertEquals(List.of("signature 1: rekor bundle: entry is from log " + REKOR_LOG_ID + ", which is not a trusted transparency log"),
        ImageSignatureVerifier.trusting(KeyTrust.of(COSIGN2).withTransparencyLog(TransparencyLogKeys.of(COSIGN)))
            .verify(image.repository, image.digest, List.of(layer)).problems());

    assertEquals(List.of("signature 1: rekor bundle Payload: unexpected key \"extra\""),
        verifier.verify(image.repository, image.digest, List.of(layer.withAnnotation(CosignLayer.BUNDLE_ANNOTATION,
            bundle.toAnnotation().replace("\"logID\"", "\"extra\":1,\"logID\"")))).problems());
  }

  @Test
  void rejectsAGenuineRekorBundleOfAnotherSignature() throws IOException {
    // The SET is genuine, but the logged entry is the key-1 image's payload, signature and key.
    String foreign = Image.KEY_REKOR_VALID.signature().annotations().get(CosignLayer.BUNDLE_ANNOTATION);
    CosignFixtures.Signature own = Image.VALID.signature();
    SignatureVerification result = ImageSignatureVerifier.trusting(KeyTrust.of(COSIGN).withTransparencyLog(TransparencyLogKeys.of(REKOR)))
        .verify(Image.VALID.repository, Image.VALID.digest, List.of(own.layer().withAnnotation(CosignLayer.BUNDLE_ANNOTATION, foreign)));
    assertEquals(List.of("signature 1: rekor bundle: log entry names payload sha256:" + Digests.sha256Hex(Image.KEY_REKOR_VALID.signature().payload())
        + ", payload is sha256:" + Digests.sha256Hex(own.payload())), result.problems());
  }

  @Test
  void aRequiredLogEntryMustBeThere() throws IOException {
    SignatureVerification result = ImageSignatureVerifier.trusting(KeyTrust.of(COSIGN).withTransparencyLog(TransparencyLogKeys.of(REKOR)).requiringTransparencyLog())
        .verify(Image.VALID.repository, Image.VALID.digest, List.of(Image.VALID.signature().layer()));
    assertEquals(List.of("signature 1: no dev.sigstore.cosign/bundle annotation (transparency log entry required)"), result.problems());
    // Without log keys, a bundle present is neither checked nor required.
    SignatureVerification unchecked = ImageSignatureVerifier.forKeys(COSIGN2)
        .verify(Image.KEY_REKOR_VALID.repository, Image.KEY_REKOR_VALID.digest, List.of(Image.KEY_REKOR_VALID.signature().layer()));
    assertEquals(OptionalLong.empty(), unchecked.accepted().get(0).integratedTime());
  }

  @Test
  void refusesBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> ImageSignatureVerifier.forKeys(COSIGN).verify("repo", "sha256:12", List.of()));
    assertThrows(IllegalArgumentException.class, () -> ImageSignatureVerifier.forKeys(COSIGN).verify("Bad Repo", Image.VALID.digest, List.of()));
    assertThrows(IllegalArgumentException.class, () -> KeyTrust.of(List.of()));
    assertThrows(IllegalStateException.class, () -> KeyTrust.of(COSIGN).requiringTransparencyLog());
  }

  private static List<String> problems(CosignLayer layer) {
    return ImageSignatureVerifier.forKeys(COSIGN).verify(Image.VALID.repository, Image.VALID.digest, List.of(layer)).problems();
  }

  static KeyPair newKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
