package dev.releasegate.sign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CosignKeyFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAST_KEY = "cosign-keys/sigstore-rs-ecdsa_encrypted_private.key"; // N=32768, password 123

  @TempDir Path temp;

  // Passwords from FIXTURES.md; expected key ids computed once with
  //   openssl pkey -pubin -in derived/<name>.derived.pub -outform DER | sha256sum
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      value = {
        "sigstore-rs-ecdsa_encrypted_private | 123 | 00208863d9785226df9ad68ceb2ad5b43f1f5ddd686147f25116ee088726eb6d",
        "sigstore-rs-cosign_generated_encrypted_empty_private | '' | 0d8cd6794def5c5e3b42f37bf6ee29bb252ce269771cf3c0785d92fca7be586f",
        "cosign-keys_test-pemsigstorekey | hello | f1057bf3c114d5486f0bdb3c702596d6154158248980d4be49f6c61fdc62c591",
      })
  void fixtureKeysLoadAndMatchTheirDerivedPublicKeys(String name, String password, String keyId) throws Exception {
    KeyPair pair = CosignKeyFile.read(Fixtures.file("cosign-keys/" + name + ".key"), password.toCharArray());

    String expectedPem = Files.readString(Fixtures.file("derived/" + name + ".derived.pub"), StandardCharsets.US_ASCII);
    assertEquals(expectedPem, PublicKeys.toPem(pair.getPublic()));
    assertEquals(keyId, PublicKeys.keyId(pair.getPublic()));
    byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
    assertTrue(Ecdsa.verify(pair.getPublic(), data, Ecdsa.sign(pair.getPrivate(), data)));
  }

  @Test
  void sec1PlaintextIsRefusedWithAHint() {
    Path file = Fixtures.file("cosign-keys/cosign-keys_test-pemcosigneckey.NEGATIVE-sec1.key");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CosignKeyFile.read(file, "hello".toCharArray()));
    assertEquals(file + ": private key is SEC1 (EC PRIVATE KEY), not PKCS#8; "
        + "re-create it with 'releasegate keygen' or 'cosign generate-key-pair'", e.getMessage());
  }

  @Test
  void wrongPasswordNamesTheFile() {
    Path file = Fixtures.file(FAST_KEY);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CosignKeyFile.read(file, "1234".toCharArray()));
    assertEquals("wrong password for key " + file, e.getMessage());
  }

  @Test
  void emptyPasswordIsAPasswordLikeAnyOther() {
    Path file = Fixtures.file("cosign-keys/sigstore-rs-cosign_generated_encrypted_empty_private.key");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CosignKeyFile.read(file, " ".toCharArray()));
    assertEquals("wrong password for key " + file, e.getMessage());
  }

  @Test
  void roundTripWritesCosignsLayout() throws Exception {
    KeyPair pair = CosignKeyFile.generate();
    char[] password = "correct horse".toCharArray();
    String pem = CosignKeyFile.encrypt(pair, password);

    assertTrue(pem.startsWith("-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n"), pem);
    assertTrue(pem.endsWith("\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n"), pem);
    pem.lines().forEach(line -> assertTrue(line.length() <= 64, line));
    String json = new String(pemBody(pem), StandardCharsets.UTF_8);
    // Exactly what Go's encoding/json writes for go-securesystemslib's structs: order, no spaces, padded base64.
    Pattern layout = Pattern.compile(
        "\\{\"kdf\":\\{\"name\":\"scrypt\",\"params\":\\{\"N\":65536,\"r\":8,\"p\":1\\},\"salt\":\"[A-Za-z0-9+/]{43}=\"\\},"
            + "\"cipher\":\\{\"name\":\"nacl/secretbox\",\"nonce\":\"[A-Za-z0-9+/]{32}\"\\},"
            + "\"ciphertext\":\"[A-Za-z0-9+/]+={0,2}\"\\}");
    assertTrue(layout.matcher(json).matches(), json);
    // 16-byte tag + the 138-byte PKCS#8 Go's x509.MarshalPKCS8PrivateKey produces for P-256.
    assertEquals(154, Base64.getDecoder().decode(JSON.readTree(json).get("ciphertext").asText()).length);

    KeyPair back = CosignKeyFile.decrypt(pem, password, "memory");
    assertArrayEquals(pair.getPublic().getEncoded(), back.getPublic().getEncoded());
    assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), ((ECPrivateKey) back.getPrivate()).getS());
    assertNotEquals(pem, CosignKeyFile.encrypt(pair, password), "salt and nonce must be fresh each time");
  }

  @ParameterizedTest
  @CsvSource({"32768", "131072"})
  void otherAcceptedWorkFactorsRoundTrip(int n) throws Exception {
    KeyPair pair = CosignKeyFile.generate();
    String pem = CosignKeyFile.encrypt(pair, "pw".toCharArray(), n);
    assertEquals(n, JSON.readTree(pemBody(pem)).at("/kdf/params/N").intValue());
    assertEquals(PublicKeys.keyId(pair.getPublic()),
        PublicKeys.keyId(CosignKeyFile.decrypt(pem, "pw".toCharArray(), "memory").getPublic()));
  }

  @Test
  void nonAsciiPasswordIsUsedAsUtf8() {
    // Encrypted independently of CosignKeyFile, with the password's UTF-8 bytes as cosign uses them.
    KeyPair pair = CosignKeyFile.generate();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    String pem = sealByHand(pkcs8, "pässwörd€".getBytes(StandardCharsets.UTF_8));
    KeyPair back = CosignKeyFile.decrypt(pem, "pässwörd€".toCharArray(), "memory");
    assertEquals(PublicKeys.keyId(pair.getPublic()), PublicKeys.keyId(back.getPublic()));
  }

  @Test
  void tamperedCiphertextIsRefused() throws Exception {
    Path file = rewrite(FAST_KEY, body -> {
      byte[] box = Base64.getDecoder().decode(body.get("ciphertext").asText());
      box[40] ^= 1;
      body.put("ciphertext", Base64.getEncoder().encodeToString(box));
    });
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CosignKeyFile.read(file, "123".toCharArray()));
    assertEquals("wrong password for key " + file, e.getMessage());
  }

  @Test
  void unsupportedParametersAreRefusedBeforeRunningScrypt() throws Exception {
    assertRefused(body -> params(body).put("N", 1024), ": unsupported kdf.params.N 1024 (expected 32768, 65536 or 131072)");
    assertRefused(body -> params(body).put("N", 1 << 30), ": unsupported kdf.params.N 1073741824 (expected 32768, 65536 or 131072)");
    assertRefused(body -> params(body).put("r", 4), ": unsupported kdf.params.r 4 (expected 8)");
    assertRefused(body -> params(body).put("p", 2), ": unsupported kdf.params.p 2 (expected 1)");
    assertRefused(body -> params(body).put("N", 32768.0), ": field kdf.params.N is not an integer");
    assertRefused(body -> ((ObjectNode) body.get("kdf")).put("name", "argon2id"),
        ": unsupported kdf.name \"argon2id\" (expected \"scrypt\")");
    assertRefused(body -> ((ObjectNode) body.get("cipher")).put("name", "aes-256-gcm"),
        ": unsupported cipher.name \"aes-256-gcm\" (expected \"nacl/secretbox\")");
  }

  @Test
  void malformedFieldsAreRefusedByName() throws Exception {
    assertRefused(body -> ((ObjectNode) body.get("kdf")).put("salt", Base64.getEncoder().encodeToString(new byte[16])),
        ": field kdf.salt must be 32 bytes, found 16");
    assertRefused(body -> ((ObjectNode) body.get("cipher")).put("nonce", Base64.getEncoder().encodeToString(new byte[12])),
        ": field cipher.nonce must be 24 bytes, found 12");
    assertRefused(body -> ((ObjectNode) body.get("kdf")).put("salt", "not*base64"), ": field kdf.salt is not valid base64");
    assertRefused(body -> body.remove("ciphertext"), ": missing field ciphertext");
    assertRefused(body -> body.put("cipher", "nacl/secretbox"), ": field cipher is not an object");
    assertRefused(body -> body.put("ciphertext", "AAAA"), ": ciphertext is too short (3 bytes)");
  }

  @Test
  void notACosignKeyIsRefused() throws Exception {
    Path plain = write("plain.key", "just text\n");
    assertMessage(plain, plain + ": not a PEM file (no -----BEGIN line)");

    Path pub = Fixtures.file("cosign-signatures/cosign.pub");
    assertMessage(pub, pub + ": expected PEM type ENCRYPTED COSIGN PRIVATE KEY or ENCRYPTED SIGSTORE PRIVATE KEY, found PUBLIC KEY");

    Path notJson = write("notjson.key", Pem.encode(CosignKeyFile.PEM_TYPE, "{\"kdf\":".getBytes(StandardCharsets.UTF_8)));
    assertMessage(notJson, notJson + ": key body is not valid JSON");

    // Go would silently take the last of duplicate keys; a key file has no business containing any.
    Path duplicate = write("dup.key", Pem.encode(CosignKeyFile.PEM_TYPE,
        "{\"kdf\":{},\"kdf\":{}}".getBytes(StandardCharsets.UTF_8)));
    assertMessage(duplicate, duplicate + ": key body is not valid JSON");

    Path badBase64 = write("bad64.key", "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\n%%%%\n-----END ENCRYPTED COSIGN PRIVATE KEY-----\n");
    assertMessage(badBase64, badBase64 + ": PEM body is not valid base64");

    Path truncated = write("trunc.key", "-----BEGIN ENCRYPTED COSIGN PRIVATE KEY-----\neyJ9\n");
    assertMessage(truncated, truncated + ": PEM block ENCRYPTED COSIGN PRIVATE KEY has no END line");

    Path missing = temp.resolve("missing.key");
    assertMessage(missing, missing + ": cannot read: no such file or directory");
  }

  @Test
  void keysOtherThanP256AreRefused() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    Path p384 = write("p384.key", sealByHand(ec.generateKeyPair().getPrivate().getEncoded(), "pw".getBytes(StandardCharsets.UTF_8)));
    assertMessage(p384, "pw", p384 + ": EC private key is not on curve P-256 (parameters 1.3.132.0.34); only ECDSA P-256 is supported");

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Path rsaKey = write("rsa.key", sealByHand(rsa.generateKeyPair().getPrivate().getEncoded(), "pw".getBytes(StandardCharsets.UTF_8)));
    assertMessage(rsaKey, "pw", rsaKey + ": private key is not an EC key (algorithm 1.2.840.113549.1.1.1); only ECDSA P-256 is supported");

    Path garbage = write("garbage.key", sealByHand("not DER".getBytes(StandardCharsets.UTF_8), "pw".getBytes(StandardCharsets.UTF_8)));
    assertMessage(garbage, "pw", garbage + ": decrypted private key is not valid DER");
  }

  @Test
  void writeKeyPairWritesPrivateKeyOwnerOnly() throws Exception {
    KeyPair pair = CosignKeyFile.generate();
    Path prefix = temp.resolve("release");
    CosignKeyFile.writeKeyPair(pair, "pw".toCharArray(), prefix);

    Path key = temp.resolve("release.key");
    Path pub = temp.resolve("release.pub");
    try (var files = Files.list(temp)) {
      assertEquals(2, files.count(), "no temporary files may be left behind");
    }
    assertEquals(PublicKeys.toPem(pair.getPublic()), Files.readString(pub));
    assertEquals(PublicKeys.keyId(pair.getPublic()), PublicKeys.keyId(CosignKeyFile.read(key, "pw".toCharArray()).getPublic()));
    if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
      assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)));
    }
  }

  @Test
  void writeKeyPairRefusesToOverwriteEitherFile() throws Exception {
    KeyPair pair = CosignKeyFile.generate();
    Path existingKey = write("a.key", "keep me\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CosignKeyFile.writeKeyPair(pair, "pw".toCharArray(), temp.resolve("a")));
    assertEquals(existingKey + ": already exists; refusing to overwrite it", e.getMessage());
    assertEquals("keep me\n", Files.readString(existingKey));
    assertTrue(Files.notExists(temp.resolve("a.pub")));

    Path existingPub = write("b.pub", "keep me too\n");
    e = assertThrows(InvalidInputException.class,
        () -> CosignKeyFile.writeKeyPair(pair, "pw".toCharArray(), temp.resolve("b")));
    assertEquals(existingPub + ": already exists; refusing to overwrite it", e.getMessage());
    assertTrue(Files.notExists(temp.resolve("b.key")));
    try (var files = Files.list(temp)) {
      assertEquals(2, files.count(), "nothing may be written when refusing");
    }
  }

  @Test
  void writeKeyPairNeedsAnExistingDirectory() {
    Path prefix = temp.resolve("nope").resolve("cosign");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CosignKeyFile.writeKeyPair(CosignKeyFile.generate(), "pw".toCharArray(), prefix));
    assertEquals(temp.resolve("nope").toAbsolutePath() + ": no such directory", e.getMessage());
  }

  private void assertRefused(Consumer<ObjectNode> edit, String problem) throws Exception {
    Path file = rewrite(FAST_KEY, edit);
    assertMessage(file, "123", file + problem);
  }

  private static void assertMessage(Path file, String expected) {
    assertMessage(file, "irrelevant", expected);
  }

  private static void assertMessage(Path file, String password, String expected) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CosignKeyFile.read(file, password.toCharArray()));
    assertEquals(expected, e.getMessage());
  }

  /** A copy of a fixture key with its JSON body edited. */
  private Path rewrite(String fixture, Consumer<ObjectNode> edit) throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(pemBody(Files.readString(Fixtures.file(fixture))));
    edit.accept(body);
    return write("edited-" + System.nanoTime() + ".key", Pem.encode(CosignKeyFile.PEM_TYPE, JSON.writeValueAsBytes(body)));
  }

  private static ObjectNode params(ObjectNode body) {
    return (ObjectNode) body.get("kdf").get("params");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(temp.resolve(name), text);
  }

  private static byte[] pemBody(String pem) {
    return Pem.decode(pem, "test").der();
  }

  /** A cosign key file built step by step from the format description, independently of CosignKeyFile. */
  private static String sealByHand(byte[] plaintext, byte[] password) {
    SecureRandom random = new SecureRandom();
    byte[] salt = new byte[32];
    byte[] nonce = new byte[24];
    random.nextBytes(salt);
    random.nextBytes(nonce);
    byte[] box = SecretBox.seal(SCrypt.generate(password, salt, 32768, 8, 1, 32), nonce, plaintext);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode kdf = body.putObject("kdf");
    kdf.put("name", "scrypt");
    kdf.putObject("params").put("N", 32768).put("r", 8).put("p", 1);
    kdf.put("salt", Base64.getEncoder().encodeToString(salt));
    body.putObject("cipher").put("name", "nacl/secretbox").put("nonce", Base64.getEncoder().encodeToString(nonce));
    body.put("ciphertext", Base64.getEncoder().encodeToString(box));
    try {
      return Pem.encode("ENCRYPTED SIGSTORE PRIVATE KEY", JSON.writeValueAsBytes(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
