package dev.releasegate.sign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.InvalidInputException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.math.ec.ECPoint;

/**
 * cosign's encrypted private key file: PEM around JSON (the format of
 * {@code go-securesystemslib/encrypted}) holding scrypt parameters and a NaCl secretbox whose
 * plaintext is a PKCS#8 ECDSA P-256 key. Files written here load in cosign, and cosign's load here.
 *
 * <p>Every failure to read is an {@link InvalidInputException} whose message names the file.
 */
public final class CosignKeyFile {
  /** The PEM type this class writes (cosign 1.x and the type our design fixes). */
  public static final String PEM_TYPE = "ENCRYPTED COSIGN PRIVATE KEY";
  /** The PEM type newer cosign writes; read as an equal alternative. */
  public static final String SIGSTORE_PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";

  static final int DEFAULT_N = 65536;
  /**
   * 32768 is what older cosign and sigstore-rs write, 65536 is cosign's current default, 131072 leaves
   * room for a stronger setting. Anything else is refused before running scrypt, so a hostile file
   * cannot make us allocate gigabytes.
   */
  static final Set<Integer> ACCEPTED_N = Set.of(32768, 65536, 131072);
  static final int R = 8;
  static final int P = 1;
  static final int SALT_BYTES = 32;

  private static final String KDF_NAME = "scrypt";
  private static final String CIPHER_NAME = "nacl/secretbox";
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private CosignKeyFile() {}

  /** Reads and decrypts {@code file}; the password is used as its UTF-8 bytes, as cosign does. */
  public static KeyPair read(Path file, char[] password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    return decrypt(Pem.readText(file), password, file.toString());
  }

  /** Like {@link #read} for key text held in memory; {@code sourceName} stands for the file in messages. */
  public static KeyPair decrypt(String pemText, char[] password, String sourceName) {
    Objects.requireNonNull(pemText, "pemText");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(sourceName, "sourceName");
    Pem.Block block = Pem.decode(pemText, sourceName);
    if (!block.type().equals(PEM_TYPE) && !block.type().equals(SIGSTORE_PEM_TYPE)) {
      throw invalid(sourceName, "expected PEM type " + PEM_TYPE + " or " + SIGSTORE_PEM_TYPE + ", found " + block.type());
    }
    Envelope envelope = Envelope.parse(block.der(), sourceName);
    byte[] secretKey = deriveKey(password, envelope.salt(), envelope.n());
    byte[] plaintext;
    try {
      plaintext = SecretBox.open(secretKey, envelope.nonce(), envelope.ciphertext());
    } finally {
      Arrays.fill(secretKey, (byte) 0);
    }
    if (plaintext == null) {
      // secretbox cannot tell a wrong password from an altered file; the password is by far the likelier.
      throw new InvalidInputException("wrong password for key " + sourceName);
    }
    try {
      return keyPairFromPkcs8(plaintext, sourceName);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** Encrypts like {@code cosign generate-key-pair}: scrypt N=65536 r=8 p=1, fresh salt and nonce. */
  public static String encrypt(KeyPair keyPair, char[] password) {
    return encrypt(keyPair, password, DEFAULT_N);
  }

  /** {@link #encrypt(KeyPair, char[])} with another accepted work factor; tests use it for 32768 and 131072. */
  static String encrypt(KeyPair keyPair, char[] password, int n) {
    Objects.requireNonNull(keyPair, "keyPair");
    Objects.requireNonNull(password, "password");
    if (!ACCEPTED_N.contains(n)) {
      throw new IllegalArgumentException("unsupported scrypt N " + n);
    }
    BigInteger d = privateScalar(keyPair);
    byte[] salt = new byte[SALT_BYTES];
    byte[] nonce = new byte[SecretBox.NONCE_BYTES];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    byte[] plaintext = P256.pkcs8(d, P256.publicPoint(d));
    byte[] secretKey = deriveKey(password, salt, n);
    try {
      byte[] box = SecretBox.seal(secretKey, nonce, plaintext);
      return Pem.encode(PEM_TYPE, new Envelope(n, salt, nonce, box).toJson());
    } finally {
      Arrays.fill(secretKey, (byte) 0);
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** A fresh ECDSA P-256 key pair from the platform's strong default randomness. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JCA cannot generate P-256 keys", e);
    }
  }

  /**
   * Writes {@code PREFIX.key} (encrypted, mode 0600) and {@code PREFIX.pub}, as {@code cosign
   * generate-key-pair --output-key-prefix} does. Refuses when either exists. Each file is written to a
   * temporary file in the same directory and renamed into place, and the key is removed again if the
   * public key cannot be placed, so a failure leaves no half-written file and no half of a pair.
   */
  public static void writeKeyPair(KeyPair keyPair, char[] password, Path prefix) {
    Objects.requireNonNull(keyPair, "keyPair");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(prefix, "prefix");
    KeyPairWriter writer = KeyPairWriter.forPrefix(prefix);
    writer.refuseExisting();
    writer.write(encrypt(keyPair, password), PublicKeys.toPem(keyPair.getPublic()));
  }

  /** d of a P-256 pair whose public half really is d·G; anything else is the caller's bug. */
  private static BigInteger privateScalar(KeyPair keyPair) {
    if (!(keyPair.getPrivate() instanceof ECPrivateKey priv) || !P256.isP256(priv.getParams())
        || !(keyPair.getPublic() instanceof ECPublicKey pub) || !P256.isP256(pub.getParams())) {
      throw new IllegalArgumentException("only ECDSA P-256 key pairs are supported");
    }
    BigInteger d = priv.getS();
    if (!P256.inScalarRange(d) || !P256.publicPoint(d).equals(P256.publicPoint(pub))) {
      throw new IllegalArgumentException("the public key does not belong to the private key");
    }
    return d;
  }

  private static byte[] deriveKey(char[] password, byte[] salt, int n) {
    byte[] passwordBytes = utf8(password);
    try {
      return SCrypt.generate(passwordBytes, salt, n, R, P, SecretBox.KEY_BYTES);
    } finally {
      Arrays.fill(passwordBytes, (byte) 0);
    }
  }

  /** UTF-8 without going through a String, so the password can be wiped after use. */
  private static byte[] utf8(char[] password) {
    ByteBuffer encoded;
    try {
      encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(password));
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("the password is not valid Unicode text");
    }
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return bytes;
  }

  /**
   * PKCS#8 → key pair. The public key is recomputed from d rather than trusted from the file; if the
   * file does carry one it must agree.
   */
  private static KeyPair keyPairFromPkcs8(byte[] der, String source) {
    ASN1Sequence outer;
    try {
      outer = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | RuntimeException e) {
      throw invalid(source, "decrypted private key is not valid DER");
    }
    if (isSec1(outer)) {
      throw invalid(source, "private key is SEC1 (EC PRIVATE KEY), not PKCS#8; "
          + "re-create it with 'releasegate keygen' or 'cosign generate-key-pair'");
    }
    PrivateKeyInfo info;
    org.bouncycastle.asn1.sec.ECPrivateKey sec1;
    try {
      info = PrivateKeyInfo.getInstance(outer);
      checkP256(info.getPrivateKeyAlgorithm(), source);
      sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw invalid(source, "decrypted private key is not a valid PKCS#8 EC key");
    }
    if (sec1.getParametersObject() != null
        && !X9ObjectIdentifiers.prime256v1.equals(sec1.getParametersObject())) {
      throw invalid(source, "EC private key names a curve other than P-256");
    }
    BigInteger d = sec1.getKey();
    if (!P256.inScalarRange(d)) {
      throw invalid(source, "EC private key value is out of range for P-256");
    }
    ECPoint q = P256.publicPoint(d);
    ASN1BitString embedded = sec1.getPublicKey();
    if (embedded != null && !embeddedMatches(embedded, q)) {
      throw invalid(source, "the public key stored with the private key does not match it");
    }
    return new KeyPair(P256.jcaPublic(q), P256.jcaPrivate(d));
  }

  /** SEC1 ECPrivateKey is SEQUENCE { INTEGER 1, OCTET STRING d, … }; PKCS#8 has an AlgorithmIdentifier second. */
  private static boolean isSec1(ASN1Sequence seq) {
    return seq.size() >= 2
        && seq.getObjectAt(0) instanceof ASN1Integer version
        && version.hasValue(1)
        && seq.getObjectAt(1) instanceof ASN1OctetString;
  }

  private static void checkP256(AlgorithmIdentifier algorithm, String source) {
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      throw invalid(source, "private key is not an EC key (algorithm " + algorithm.getAlgorithm()
          + "); only ECDSA P-256 is supported");
    }
    if (!X9ObjectIdentifiers.prime256v1.equals(algorithm.getParameters())) {
      throw invalid(source, "EC private key is not on curve P-256 (parameters " + algorithm.getParameters()
          + "); only ECDSA P-256 is supported");
    }
  }

  private static boolean embeddedMatches(ASN1BitString embedded, ECPoint q) {
    try {
      return P256.CURVE.getCurve().decodePoint(embedded.getOctets()).normalize().equals(q);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false;
    }
  }

  private static InvalidInputException invalid(String source, String problem) {
    return new InvalidInputException(source + ": " + problem);
  }

  /**
   * The JSON body. Field names, order and compact layout are those Go's {@code encoding/json} produces
   * for go-securesystemslib's structs; byte fields are standard padded base64, as Go encodes []byte.
   */
  private record Envelope(int n, byte[] salt, byte[] nonce, byte[] ciphertext) {

    static Envelope parse(byte[] json, String source) {
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (IOException e) {
        throw invalid(source, "key body is not valid JSON");
      }
      if (root == null || !root.isObject()) {
        throw invalid(source, "key body is not a JSON object");
      }
      Fields f = new Fields(source);
      JsonNode kdf = f.object(root, "kdf", "kdf");
      f.expectName(kdf, "kdf.name", KDF_NAME);
      JsonNode params = f.object(kdf, "params", "kdf.params");
      int n = f.integer(params, "N", "kdf.params.N");
      if (!ACCEPTED_N.contains(n)) {
        throw invalid(source, "unsupported kdf.params.N " + n + " (expected 32768, 65536 or 131072)");
      }
      int r = f.integer(params, "r", "kdf.params.r");
      if (r != R) {
        throw invalid(source, "unsupported kdf.params.r " + r + " (expected " + R + ")");
      }
      int p = f.integer(params, "p", "kdf.params.p");
      if (p != P) {
        throw invalid(source, "unsupported kdf.params.p " + p + " (expected " + P + ")");
      }
      byte[] salt = f.bytes(kdf, "salt", "kdf.salt", SALT_BYTES);
      JsonNode cipher = f.object(root, "cipher", "cipher");
      f.expectName(cipher, "cipher.name", CIPHER_NAME);
      byte[] nonce = f.bytes(cipher, "nonce", "cipher.nonce", SecretBox.NONCE_BYTES);
      byte[] ciphertext = f.bytes(root, "ciphertext", "ciphertext", -1);
      if (ciphertext.length < SecretBox.TAG_BYTES) {
        throw invalid(source, "ciphertext is too short (" + ciphertext.length + " bytes)");
      }
      return new Envelope(n, salt, nonce, ciphertext);
    }

    byte[] toJson() {
      Base64.Encoder base64 = Base64.getEncoder();
      ObjectNode root = JSON.createObjectNode();
      ObjectNode kdf = root.putObject("kdf");
      kdf.put("name", KDF_NAME);
      kdf.putObject("params").put("N", n).put("r", R).put("p", P);
      kdf.put("salt", base64.encodeToString(salt));
      ObjectNode cipher = root.putObject("cipher");
      cipher.put("name", CIPHER_NAME);
      cipher.put("nonce", base64.encodeToString(nonce));
      root.put("ciphertext", base64.encodeToString(ciphertext));
      try {
        return JSON.writeValueAsBytes(root);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialise a JSON tree", e);
      }
    }
  }

  /** Typed access to JSON fields with messages that give the field's full path. */
  private record Fields(String source) {

    JsonNode object(JsonNode parent, String name, String path) {
      JsonNode node = present(parent, name, path);
      if (!node.isObject()) {
        throw invalid(source, "field " + path + " is not an object");
      }
      return node;
    }

    void expectName(JsonNode parent, String path, String expected) {
      JsonNode node = present(parent, "name", path);
      if (!node.isTextual()) {
        throw invalid(source, "field " + path + " is not a string");
      }
      if (!node.textValue().equals(expected)) {
        throw invalid(source, "unsupported " + path + " \"" + node.textValue() + "\" (expected \"" + expected + "\")");
      }
    }

    int integer(JsonNode parent, String name, String path) {
      JsonNode node = present(parent, name, path);
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw invalid(source, "field " + path + " is not an integer");
      }
      return node.intValue();
    }

    /** Base64 bytes; {@code length} is the required size, or -1 for any. */
    byte[] bytes(JsonNode parent, String name, String path, int length) {
      JsonNode node = present(parent, name, path);
      if (!node.isTextual()) {
        throw invalid(source, "field " + path + " is not a string");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(node.textValue());
      } catch (IllegalArgumentException e) {
        throw invalid(source, "field " + path + " is not valid base64");
      }
      if (length >= 0 && bytes.length != length) {
        throw invalid(source, "field " + path + " must be " + length + " bytes, found " + bytes.length);
      }
      return bytes;
    }

    private JsonNode present(JsonNode parent, String name, String path) {
      JsonNode node = parent.get(name);
      if (node == null || node.isNull()) {
        throw invalid(source, "missing field " + path);
      }
      return node;
    }
  }
}
