package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every keyless bundle of ../shared/fixtures/sigstore-bundles, offline, with the public-good trusted root. */
class KeylessBundleVerifierTest {
  private static final String COSIGN_IMAGE = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";

  /**
   * The keyless fixture bundles and the signer each certificate names (read with openssl from the
   * certificates: subject alternative name, and extension 1.3.6.1.4.1.57264.1.8).
   */
  enum Keyless {
    MESSAGE_V3("bundle.v3.message-signature.sigstore.json", "appu@google.com", "https://accounts.google.com", null),
    MESSAGE_V3_1("bundle.v3_1.message-signature.sigstore.json", "appu@google.com", "https://accounts.google.com", null),
    DSSE_PROVENANCE("bundle.dsse.slsa-provenance.sigstore.json",
        "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main",
        "https://token.actions.githubusercontent.com", null),
    COSIGN_ATTESTATION("cosign-oci-attestation.sigstore.json", "cody@soyland.com", "https://github.com/login/oauth", COSIGN_IMAGE);

    final String file;
    final KeylessIdentity identity;
    /** The image digest the statement is about; null when the bundle signs artifact.txt. */
    final String digest;

    Keyless(String file, String identity, String issuer, String digest) {
      this.file = file;
      this.identity = new KeylessIdentity(identity, issuer);
      this.digest = digest;
    }

    byte[] bundle() throws IOException {
      return CosignFixtures.bundleFile(file);
    }

    KeylessVerification verifyWith(KeylessBundleVerifier verifier, KeylessIdentity expected) throws IOException {
      return digest == null
          ? verifier.verifyArtifact(artifact, bundle(), expected)
          : verifier.verifyDigest(digest, bundle(), expected);
    }
  }

  private static byte[] artifact;
  private static KeylessBundleVerifier publicGood;

  @BeforeAll
  static void load() throws IOException {
    artifact = CosignFixtures.bundleFile("artifact.txt");
    publicGood = KeylessBundleVerifier.fromTrustedRoot(Fixtures.file("sigstore-bundles/trusted_root.public-good.json"));
  }

  @ParameterizedTest
  @EnumSource(Keyless.class)
  void accepts(Keyless bundle) throws IOException {
    KeylessVerification result = bundle.verifyWith(publicGood, bundle.identity);
    assertEquals(Optional.empty(), result.problem());
    assertTrue(result.verified());
    assertEquals(Optional.of(bundle.identity.certificateIdentity().toString()), result.certificateIdentity());
    assertEquals(Optional.of(bundle.identity.oidcIssuer().toString()), result.oidcIssuer());
  }

  @ParameterizedTest
  @EnumSource(Keyless.class)
  void acceptsAnIdentityAndIssuerMatchingExpressions(Keyless bundle) throws IOException {
    String identity = bundle.identity.certificateIdentity().toString();
    KeylessIdentity matching = new KeylessIdentity(
        KeylessIdentity.Expected.matching(java.util.regex.Pattern.quote(identity.substring(identity.length() / 2))),
        KeylessIdentity.Expected.matching("^https://"));
    KeylessVerification result = bundle.verifyWith(publicGood, matching);
    assertEquals(Optional.empty(), result.problem());
    KeylessIdentity anchoredElsewhere = new KeylessIdentity(KeylessIdentity.Expected.matching("^" + java.util.regex.Pattern.quote(identity) + "x$"),
        KeylessIdentity.Expected.matching("."));
    assertEquals(Optional.of("signed by " + bundle.identity + ", expected " + anchoredElsewhere), bundle.verifyWith(publicGood, anchoredElsewhere).problem());
  }

  @ParameterizedTest
  @EnumSource(Keyless.class)
  void rejectsAnotherIdentity(Keyless bundle) throws IOException {
    KeylessIdentity expected = new KeylessIdentity(KeylessIdentity.Expected.exactly("release@example.com"), bundle.identity.oidcIssuer());
    KeylessVerification result = bundle.verifyWith(publicGood, expected);
    assertFalse(result.verified());
    assertEquals(Optional.of("signed by " + bundle.identity + ", expected release@example.com (issuer " + bundle.identity.oidcIssuer().toString() + ")"),
        result.problem());
  }

  @ParameterizedTest
  @EnumSource(Keyless.class)
  void rejectsAnotherIssuer(Keyless bundle) throws IOException {
    KeylessIdentity expected = new KeylessIdentity(bundle.identity.certificateIdentity(), KeylessIdentity.Expected.exactly("https://issuer.example.com"));
    KeylessVerification result = bundle.verifyWith(publicGood, expected);
    assertEquals(Optional.of("signed by " + bundle.identity + ", expected " + expected), result.problem());
  }

  @ParameterizedTest
  @EnumSource(Keyless.class)
  void rejectsATamperedArtifact(Keyless bundle) throws IOException {
    KeylessVerification result;
    if (bundle.digest == null) {
      byte[] tampered = artifact.clone();
      tampered[0] ^= 1;
      result = publicGood.verifyArtifact(tampered, bundle.bundle(), bundle.identity);
    } else {
      String other = "sha256:" + Digests.sha256Hex(artifact);
      result = publicGood.verifyDigest(other, bundle.bundle(), bundle.identity);
    }
    assertFalse(result.verified());
    String expected = bundle == Keyless.DSSE_PROVENANCE || bundle == Keyless.COSIGN_ATTESTATION
        ? "Provided artifact digest does not match any subject sha256 digests in DSSE payload"
        : "Provided artifact digest does not match digest used for verification";
    assertEquals(Optional.of(expected), result.problem());
  }

  @Test
  void rejectsATamperedBundleSignature() throws IOException {
    String json = new String(Keyless.MESSAGE_V3.bundle(), StandardCharsets.UTF_8);
    String signature = json.replaceAll("(?s).*\"signature\": ?\"([^\"]+)\".*", "$1");
    String flipped = (signature.charAt(10) == 'A' ? 'B' : 'A') + "";
    byte[] tampered = json.replace(signature, signature.substring(0, 10) + flipped + signature.substring(11)).getBytes(StandardCharsets.UTF_8);
    KeylessVerification result = publicGood.verifyArtifact(artifact, tampered, Keyless.MESSAGE_V3.identity);
    assertEquals(Optional.of("Artifact signature was not valid"), result.problem());
  }

  @ParameterizedTest
  @EnumSource(Keyless.class)
  void rejectsWithTheStagingTrustedRoot(Keyless bundle) throws IOException {
    KeylessBundleVerifier staging = KeylessBundleVerifier.fromTrustedRoot(Fixtures.file("sigstore-bundles/trusted_root.staging.json"));
    KeylessVerification result = bundle.verifyWith(staging, bundle.identity);
    assertFalse(result.verified());
    assertEquals(Optional.of("Fulcio certificate was not valid: Certificate was not verifiable against CAs"), result.problem());
  }

  @Test
  void managedKeyBundlesAreReferredToTheKeyVerifier() throws IOException {
    KeylessVerification result = publicGood.verifyArtifact(artifact, CosignFixtures.bundleFile("managed-key.public-good.sigstore.json"),
        Keyless.MESSAGE_V3.identity);
    assertEquals(Optional.of("bundle is signed with a public key, not a Fulcio certificate: verify it with that key"), result.problem());
    assertEquals(Optional.of("not a Sigstore bundle: Unsupported bundle media type: "),
        publicGood.verifyArtifact(artifact, "{}".getBytes(StandardCharsets.UTF_8), Keyless.MESSAGE_V3.identity).problem());
  }

  @Test
  void aMissingOrBrokenTrustedRootIsInvalidInput(@TempDir Path temp) throws IOException {
    InvalidInputException missing = assertThrows(InvalidInputException.class, () -> KeylessBundleVerifier.fromTrustedRoot(temp.resolve("nope.json")));
    assertEquals(temp.resolve("nope.json") + ": no such file", missing.getMessage());
    Path broken = Files.writeString(temp.resolve("root.json"), "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=9\"}");
    InvalidInputException bad = assertThrows(InvalidInputException.class, () -> KeylessBundleVerifier.fromTrustedRoot(broken));
    assertTrue(bad.getMessage().startsWith(broken + ": not a usable trusted root: "), bad.getMessage());
  }
}
