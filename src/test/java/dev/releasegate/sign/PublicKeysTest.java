package dev.releasegate.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicKeysTest {

  // Expected ids computed once with: openssl pkey -pubin -in <file> -outform DER | sha256sum
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "cosign-signatures/cosign.pub | c87a79018f346cc02482448b77296b0bea143ef2ccab99b04776fb0f638f301f",
        "cosign-signatures/cosign2.pub | 5e7eb6c1e2e6db06470ae59ee8253b3dc4ce33beefb9a0cca06a371cfc0ebdfa",
        "cosign-signatures/rekor.pub | c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d",
        "sigstore-bundles/managed-key.pub | 4cb32c4837c6dda8cfb1681efb3fef5f94ffce5b979e6bdb9139302c857af139",
        "derived/cosign-keys_test-pemsigstorekey.derived.pub | f1057bf3c114d5486f0bdb3c702596d6154158248980d4be49f6c61fdc62c591",
        "derived/dsse-spec-test-vector.pub | f793580060562d6ff075d814ea698c282fcc779b0cde64d79ffc6301df00d14b",
        "derived/sigstore-rs-cosign_generated_encrypted_empty_private.derived.pub | 0d8cd6794def5c5e3b42f37bf6ee29bb252ce269771cf3c0785d92fca7be586f",
        "derived/sigstore-rs-ecdsa_encrypted_private.derived.pub | 00208863d9785226df9ad68ceb2ad5b43f1f5ddd686147f25116ee088726eb6d",
      })
  void fixturePublicKeysRoundTripByteForByte(String fixture, String keyId) throws Exception {
    Path file = Fixtures.file(fixture);
    PublicKey key = PublicKeys.read(file);
    assertEquals(Files.readString(file, StandardCharsets.US_ASCII), PublicKeys.toPem(key));
    assertEquals(keyId, PublicKeys.keyId(key));
  }

  @Test
  void parseNamesTheSourceInErrors() {
    assertParseFails("not a key", "env COSIGN_PUBLIC_KEY: not a PEM file (no -----BEGIN line)");
  }

  @Test
  void otherPemTypesAreRefused() throws Exception {
    Path file = Fixtures.file("cosign-keys/sigstore-rs-ecdsa_encrypted_private.key");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PublicKeys.read(file));
    assertEquals(file + ": expected PEM type PUBLIC KEY, found ENCRYPTED COSIGN PRIVATE KEY", e.getMessage());
  }

  @Test
  void keysOtherThanP256AreRefused() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    assertParseFails(Pem.encode("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded()),
        "env COSIGN_PUBLIC_KEY: EC public key is not on curve P-256 (parameters 1.3.132.0.34); only ECDSA P-256 is supported");

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    assertParseFails(Pem.encode("PUBLIC KEY", rsa.generateKeyPair().getPublic().getEncoded()),
        "env COSIGN_PUBLIC_KEY: public key is not an EC key (algorithm 1.2.840.113549.1.1.1); only ECDSA P-256 is supported");
  }

  @Test
  void malformedPointsAndDerAreRefused() throws Exception {
    byte[] der = Pem.decode(Files.readString(Fixtures.file("cosign-signatures/cosign.pub")), "t").der();
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(der);
    byte[] point = spki.getPublicKeyData().getOctets();

    byte[] offCurve = point.clone();
    offCurve[64] ^= 1;
    assertParseFails(pem(spki, offCurve), "env COSIGN_PUBLIC_KEY: EC public key point is not on curve P-256");

    byte[] compressed = P256.CURVE.getCurve().decodePoint(point).getEncoded(true);
    assertParseFails(pem(spki, compressed), "env COSIGN_PUBLIC_KEY: EC public key point is not in uncompressed form");

    assertParseFails(Pem.encode("PUBLIC KEY", Arrays.copyOf(der, der.length - 5)),
        "env COSIGN_PUBLIC_KEY: not a valid SubjectPublicKeyInfo");
  }

  @Test
  void toPemIsTheOpensslLayout() {
    String pem = PublicKeys.toPem(CosignKeyFile.generate().getPublic());
    assertTrue(pem.matches("-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/]{64}\n[A-Za-z0-9+/]{58}==\n-----END PUBLIC KEY-----\n"), pem);
  }

  @Test
  void nonP256KeysAreAProgrammingError() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    PublicKey key = rsa.generateKeyPair().getPublic();
    assertThrows(IllegalArgumentException.class, () -> PublicKeys.toPem(key));
    assertThrows(IllegalArgumentException.class, () -> PublicKeys.keyId(key));
  }

  private static String pem(SubjectPublicKeyInfo template, byte[] point) throws Exception {
    return Pem.encode("PUBLIC KEY", new SubjectPublicKeyInfo(template.getAlgorithm(), point).getEncoded());
  }

  private static void assertParseFails(String pem, String expected) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PublicKeys.parse(pem, "env COSIGN_PUBLIC_KEY"));
    assertEquals(expected, e.getMessage());
  }
}
