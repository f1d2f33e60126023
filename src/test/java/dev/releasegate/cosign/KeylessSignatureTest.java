package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.testing.Fixtures;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** sigstore-java's signing result, as cosign annotations: taken from a real keyless bundle. */
class KeylessSignatureTest {

  @Test
  void aSigstoreBundleBecomesCosignsCertificateChainAndRekorBundleAnnotations() throws Exception {
    byte[] json = CosignFixtures.bundleFile("bundle.v3.message-signature.sigstore.json");
    Bundle bundle = Bundle.from(new StringReader(new String(json, StandardCharsets.UTF_8)));
    SigstoreTrustedRoot root;
    try (var in = Files.newInputStream(Fixtures.file("sigstore-bundles/trusted_root.public-good.json"))) {
      root = SigstoreTrustedRoot.from(in);
    }
    KeylessSignature keyless = KeylessSignature.fromBundle(bundle, root);

    X509Certificate leaf = CosignFixtures.bundleCertificate("bundle.v3.message-signature.sigstore.json");
    List<PemBlocks.Block> certificate = PemBlocks.decode(keyless.certificatePem());
    assertEquals(1, certificate.size());
    assertArrayEquals(leaf.getEncoded(), certificate.get(0).der());

    // The chain is Fulcio's intermediate then root, and it issued the leaf.
    List<X509Certificate> chain = PemBlocks.decode(keyless.chainPem()).stream().map(KeylessSignatureTest::certificate).toList();
    assertEquals(2, chain.size());
    leaf.verify(chain.get(0).getPublicKey());
    chain.get(0).verify(chain.get(1).getPublicKey());
    assertEquals(chain.get(1).getSubjectX500Principal(), chain.get(1).getIssuerX500Principal(), "last is the self-signed root");

    // The Rekor bundle verifies offline: the SET with the log key, the entry binds artifact, signature and certificate.
    RekorBundle rekor = keyless.rekorBundle();
    assertEquals("c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d", rekor.logId());
    assertEquals(1697034484L, rekor.integratedTime());
    TransparencyLogKeys logs = TransparencyLogKeys.fromTrustedRoot(Fixtures.file("sigstore-bundles/trusted_root.public-good.json"));
    assertEquals(Optional.empty(), RekorChecks.checkSet(logs, rekor.signedEntryTimestamp(), rekor.body(), rekor.integratedTime(), rekor.logId(), rekor.logIndex()));
    byte[] artifact = CosignFixtures.bundleFile("artifact.txt");
    assertEquals(Optional.empty(), RekorChecks.checkHashedRekord(rekor.body(), Digests.sha256().digest(artifact), keyless.signature(), leaf.getEncoded()));

    // As a .sig layer: cosign's four annotations; the bundle annotation round-trips.
    CosignLayer layer = CosignLayer.keylessSignature(artifact, keyless);
    Map<String, String> annotations = layer.descriptor().annotations();
    assertEquals(List.of(CosignLayer.SIGNATURE_ANNOTATION, CosignLayer.BUNDLE_ANNOTATION, CosignLayer.CERTIFICATE_ANNOTATION, CosignLayer.CHAIN_ANNOTATION),
        List.copyOf(annotations.keySet()));
    assertEquals(rekor, RekorBundle.parse(annotations.get(CosignLayer.BUNDLE_ANNOTATION)));
    assertTrue(annotations.get(CosignLayer.CHAIN_ANNOTATION).startsWith("-----BEGIN CERTIFICATE-----\n"));
  }

  private static X509Certificate certificate(PemBlocks.Block block) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(block.der()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
