package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each trust's check of a Sigstore bundle over what it claims to sign, on the fixtures' genuine bundles
 * (signed over artifact.txt): a managed key's message signature and its Rekor entry, and keyless
 * bundles with exact and regular-expression identities.
 */
class BundleTrustTest {
  private static final Path PUBLIC_GOOD = Fixtures.file("sigstore-bundles/trusted_root.public-good.json");
  private static String artifact;
  private static PublicKey managedKey;

  @BeforeAll
  static void load() throws IOException {
    artifact = "sha256:" + Digests.sha256Hex(CosignFixtures.bundleFile("artifact.txt"));
    managedKey = PublicKeys.read(Fixtures.file("sigstore-bundles/managed-key.pub"));
  }

  private static SigstoreBundle bundle(String file) throws IOException {
    return SigstoreBundle.parse(CosignFixtures.bundleFile(file), "");
  }

  @Test
  void aKeyChecksAMessageSignatureOverTheDigestAndItsLogEntryWithItsInclusionProof() throws Exception {
    SigstoreBundle managed = bundle("managed-key.public-good.sigstore.json");
    SignatureTrust.Outcome plain = KeyTrust.of(managedKey).checkBundle(managed, artifact);
    assertEquals(Optional.of(PublicKeys.keyId(managedKey)), plain.signer(), plain.toString());

    KeyTrust logged = KeyTrust.of(managedKey).withTransparencyLog(TransparencyLogKeys.fromTrustedRoot(PUBLIC_GOOD)).requiringTransparencyLog();
    SignatureTrust.Outcome withLog = logged.checkBundle(managed, artifact);
    assertTrue(withLog.passed(), withLog.toString());
    assertEquals(OptionalLong.of(managed.logEntry().orElseThrow().integratedTime()), withLog.integratedTime());

    String other = "sha256:" + "0f".repeat(32);
    assertEquals(Optional.of("bundle signs " + artifact + ", artifact is " + other),
        KeyTrust.of(managedKey).checkBundle(managed, other).problem(), "checked over the digest it was asked about");
    PublicKey stranger = newKey();
    assertEquals(Optional.of("signature does not verify with key " + PublicKeys.keyId(stranger)), KeyTrust.of(stranger).checkBundle(managed, artifact).problem());
  }

  @Test
  void onlyAWholeSha256DigestIsVerifiedAsSigned() {
    // A signature over an empty or short "digest" can be made for any key without its private half.
    assertThrows(IllegalArgumentException.class, () -> dev.releasegate.sign.Ecdsa.verifyDigest(managedKey, new byte[0], new byte[8]));
    assertThrows(IllegalArgumentException.class, () -> KeyBundleVerifier.forKey(managedKey).verifyDigest(new byte[31], new byte[2]));
  }

  @Test
  void aKeyRefusesAKeylessBundleAndKeylessTrustAKeyedOne() throws Exception {
    assertEquals(Optional.of("signed keylessly (a Fulcio certificate), not with a key"),
        KeyTrust.of(managedKey).checkBundle(bundle("bundle.v3_1.message-signature.sigstore.json"), artifact).problem());
    KeylessTrust anyone = KeylessTrust.fromTrustedRoot(PUBLIC_GOOD,
        new KeylessIdentity(KeylessIdentity.Expected.matching("."), KeylessIdentity.Expected.matching(".")));
    assertEquals(Optional.of("signed with a key, not keylessly (no Fulcio certificate)"),
        anyone.checkBundle(bundle("managed-key.public-good.sigstore.json"), artifact).problem());
  }

  @Test
  void keylessTrustVerifiesTheBundleWholeAndNamesTheSignerItFound() throws Exception {
    SigstoreBundle message = bundle("bundle.v3_1.message-signature.sigstore.json");
    KeylessTrust google = KeylessTrust.fromTrustedRoot(PUBLIC_GOOD,
        new KeylessIdentity(KeylessIdentity.Expected.matching("@google\\.com$"), KeylessIdentity.Expected.exactly("https://accounts.google.com")));
    SignatureTrust.Outcome outcome = google.checkBundle(message, artifact);
    assertEquals(Optional.of("appu@google.com (issuer https://accounts.google.com)"), outcome.signer(), outcome.toString());

    KeylessTrust example = KeylessTrust.fromTrustedRoot(PUBLIC_GOOD,
        new KeylessIdentity(KeylessIdentity.Expected.matching("@example\\.com$"), KeylessIdentity.Expected.matching("google")));
    assertEquals(Optional.of("signed by appu@google.com (issuer https://accounts.google.com), expected matching /@example\\.com$/ (issuer matching /google/)"),
        example.checkBundle(message, artifact).problem());
    assertFalse(google.checkBundle(message, "sha256:" + "0f".repeat(32)).passed(), "the digest it signs is checked");
  }

  @Test
  void anExpectedValueIsExactOrAnUnanchoredExpressionAsInCosign() {
    KeylessIdentity.Expected exact = KeylessIdentity.Expected.exactly("https://github.com/org/repo");
    assertTrue(exact.test("https://github.com/org/repo"));
    assertFalse(exact.test("https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main"));
    assertFalse(exact.test(null));
    KeylessIdentity.Expected expression = KeylessIdentity.Expected.matching("github.com/org/");
    assertTrue(expression.test("https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main"), "found anywhere, as Go's MatchString");
    assertFalse(KeylessIdentity.Expected.matching("^github.com/org/").test("https://github.com/org/repo"));
    assertEquals("matching /github.com/org//", expression.toString());
    assertEquals("'(' is not a regular expression: Unclosed group",
        assertThrows(IllegalArgumentException.class, () -> KeylessIdentity.Expected.matching("(")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeylessIdentity.Expected.exactly(" "));
    assertThrows(IllegalArgumentException.class, () -> KeylessIdentity.Expected.matching(""));
    KeylessIdentity identity = new KeylessIdentity(expression, KeylessIdentity.Expected.exactly("https://token.actions.githubusercontent.com"));
    assertTrue(identity.matches(Optional.of("https://github.com/org/repo/x"), Optional.of("https://token.actions.githubusercontent.com")));
    assertFalse(identity.matches(Optional.of("https://github.com/org/repo/x"), Optional.empty()));
    assertFalse(identity.matches(Optional.empty(), Optional.of("https://token.actions.githubusercontent.com")));
  }

  private static PublicKey newKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair().getPublic();
  }
}
