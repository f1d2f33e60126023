package dev.releasegate.sign;

import dev.releasegate.testing.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

class EcdsaTest {
  private static final byte[] DATA = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signThenVerify() {
    KeyPair pair = CosignKeyFile.generate();
    byte[] signature = Ecdsa.sign(pair.getPrivate(), DATA);
    assertEquals(0x30, signature[0] & 0xff, "DER SEQUENCE");
    assertTrue(Ecdsa.verify(pair.getPublic(), DATA, signature));
    assertFalse(Ecdsa.verify(CosignKeyFile.generate().getPublic(), DATA, signature), "other key");
  }

  @Test
  void flippedBytesDoNotVerify() {
    KeyPair pair = CosignKeyFile.generate();
    byte[] signature = Ecdsa.sign(pair.getPrivate(), DATA);

    byte[] data = DATA.clone();
    data[3] ^= 1;
    assertFalse(Ecdsa.verify(pair.getPublic(), data, signature));
    for (int i = 0; i < signature.length; i++) {
      byte[] flipped = signature.clone();
      flipped[i] ^= 1;
      assertFalse(Ecdsa.verify(pair.getPublic(), DATA, flipped), "flipped byte " + i);
    }
  }

  @Test
  void garbageIsFalseNotAnException() throws Exception {
    PublicKey key = CosignKeyFile.generate().getPublic();
    byte[] good = Ecdsa.sign(CosignKeyFile.generate().getPrivate(), DATA);
    assertFalse(Ecdsa.verify(key, DATA, null));
    assertFalse(Ecdsa.verify(key, DATA, new byte[0]));
    assertFalse(Ecdsa.verify(key, DATA, "garbage".getBytes(StandardCharsets.UTF_8)));
    assertFalse(Ecdsa.verify(key, DATA, new byte[64]));
    assertFalse(Ecdsa.verify(key, DATA, Arrays.copyOf(good, good.length + 1)));
    assertFalse(Ecdsa.verify(key, DATA, Arrays.copyOf(good, good.length - 1)));
    byte[] zeroR = new DERSequence(new ASN1Integer[] {new ASN1Integer(0), new ASN1Integer(1)}).getEncoded();
    assertFalse(Ecdsa.verify(key, DATA, zeroR));
  }

  @Test
  void nonCanonicalEncodingOfAValidSignatureIsRefused() {
    KeyPair pair = CosignKeyFile.generate();
    byte[] der = Ecdsa.sign(pair.getPrivate(), DATA);
    // The same SEQUENCE with its short length rewritten in BER long form (0x81 LL).
    byte[] ber = new byte[der.length + 1];
    ber[0] = 0x30;
    ber[1] = (byte) 0x81;
    ber[2] = der[1];
    System.arraycopy(der, 2, ber, 3, der.length - 2);
    assertTrue(Ecdsa.verify(pair.getPublic(), DATA, der));
    assertFalse(Ecdsa.verify(pair.getPublic(), DATA, ber));
  }

  @Test
  void verifiesARealCosignSignature() throws Exception {
    // containers/image fixture: byte 0, "sigstore-json\n", then JSON with the payload and cosign's annotation.
    byte[] file = Files.readAllBytes(Fixtures.file("cosign-signatures/dir-img-cosign-valid/signature-1"));
    String prefix = "\0sigstore-json\n";
    JsonNode json = new ObjectMapper().readTree(Arrays.copyOfRange(file, prefix.length(), file.length));
    byte[] payload = Files.readAllBytes(Fixtures.file("derived/dir-img-cosign-valid.simplesigning-payload.json"));
    byte[] signature = Base64.getDecoder().decode(json.get("annotations").get("dev.cosignproject.cosign/signature").asText());
    PublicKey key = PublicKeys.read(Fixtures.file("cosign-signatures/cosign.pub"));

    assertTrue(Ecdsa.verify(key, payload, signature));
    assertFalse(Ecdsa.verify(PublicKeys.read(Fixtures.file("cosign-signatures/cosign2.pub")), payload, signature));
  }

  @Test
  void fixtureKeySignsForItsDerivedPublicKey() {
    KeyPair pair = CosignKeyFile.read(Fixtures.file("cosign-keys/sigstore-rs-ecdsa_encrypted_private.key"), "123".toCharArray());
    PublicKey published = PublicKeys.read(Fixtures.file("derived/sigstore-rs-ecdsa_encrypted_private.derived.pub"));
    assertTrue(Ecdsa.verify(published, DATA, Ecdsa.sign(pair.getPrivate(), DATA)));
  }
}
