package dev.releasegate.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Json;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.testing.Fixtures;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;

class DsseTest {

  @Test
  void specTestVectorVerifies() throws Exception {
    DsseEnvelope envelope = DsseEnvelope.parse(Files.readAllBytes(Fixtures.file("derived/dsse-spec-test-vector.envelope.json")));
    PublicKey key = PublicKeys.read(Fixtures.file("derived/dsse-spec-test-vector.pub"));

    assertEquals("http://example.com/HelloWorld", envelope.payloadType());
    assertArrayEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world".getBytes(StandardCharsets.US_ASCII), envelope.pae());
    // The spec's vector carries a raw r||s signature; our format is DER, as cosign's.
    byte[] der = rawToDer(envelope.signatures().get(0).sig());
    assertTrue(Ecdsa.verify(key, envelope.pae(), der));
    assertTrue(new KeyEnvelopeVerifier(key).check(withSignature(envelope, der)).isEmpty());
  }

  @Test
  void oneFlippedByteFails() throws Exception {
    DsseEnvelope envelope = DsseEnvelope.parse(Files.readAllBytes(Fixtures.file("derived/dsse-spec-test-vector.envelope.json")));
    PublicKey key = PublicKeys.read(Fixtures.file("derived/dsse-spec-test-vector.pub"));
    byte[] der = rawToDer(envelope.signatures().get(0).sig());

    byte[] payload = envelope.payload();
    payload[0] ^= 0x01;
    DsseEnvelope tamperedPayload = new DsseEnvelope(envelope.payloadType(), payload, List.of(new DsseEnvelope.Signature(Optional.empty(), der)));
    assertFalse(Ecdsa.verify(key, tamperedPayload.pae(), der));
    assertTrue(new KeyEnvelopeVerifier(key).check(tamperedPayload).isPresent());

    byte[] signature = der.clone();
    signature[signature.length - 1] ^= 0x01;
    assertFalse(Ecdsa.verify(key, envelope.pae(), signature));

    DsseEnvelope otherType = new DsseEnvelope("http://example.com/HelloWorle", envelope.payload(), List.of(new DsseEnvelope.Signature(Optional.empty(), der)));
    assertTrue(new KeyEnvelopeVerifier(key).check(otherType).isPresent());
  }

  @Test
  void paeCountsBytesNotCharacters() {
    byte[] pae = Dsse.pae("tÿpe", "ü".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals("DSSEv1 5 tÿpe 2 ü".getBytes(StandardCharsets.UTF_8), pae);
  }

  @Test
  void signsAndVerifiesRoundTrip() throws Exception {
    KeyPair pair = CosignKeyFile.generate();
    DsseSigner signer = new DsseSigner(new KeySigner(pair));
    DsseEnvelope envelope = signer.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)).envelope();
    DsseEnvelope read = DsseEnvelope.parse(Json.pretty(envelope.toJson()));
    assertEquals(Optional.of(PublicKeys.keyId(pair.getPublic())), read.signatures().get(0).keyid());
    assertTrue(new KeyEnvelopeVerifier(pair.getPublic()).check(read).isEmpty());
    String problem = new KeyEnvelopeVerifier(CosignKeyFile.generate().getPublic()).check(read).orElseThrow();
    assertTrue(problem.contains(PublicKeys.keyId(pair.getPublic())), problem);
  }

  @Test
  void parseIsStrict() {
    assertThrows(IOException.class, () -> DsseEnvelope.parse(bytes("{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[]}")));
    assertThrows(IOException.class, () -> DsseEnvelope.parse(bytes("{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":\"AA==\"}],\"extra\":1}")));
    assertThrows(IOException.class, () -> DsseEnvelope.parse(bytes("{\"payloadType\":\"t\",\"payloadType\":\"u\",\"payload\":\"\",\"signatures\":[{\"sig\":\"AA==\"}]}")));
    assertThrows(IOException.class, () -> DsseEnvelope.parse(bytes("{\"payloadType\":\"t\",\"payload\":\"%%\",\"signatures\":[{\"sig\":\"AA==\"}]}")));
    assertThrows(IOException.class, () -> DsseEnvelope.parse(bytes("{\"payloadType\":1,\"payload\":\"\",\"signatures\":[{\"sig\":\"AA==\"}]}")));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static DsseEnvelope withSignature(DsseEnvelope envelope, byte[] sig) {
    return new DsseEnvelope(envelope.payloadType(), envelope.payload(), List.of(new DsseEnvelope.Signature(Optional.empty(), sig)));
  }

  private static byte[] rawToDer(byte[] raw) throws IOException {
    ASN1EncodableVector vector = new ASN1EncodableVector();
    vector.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, raw.length / 2))));
    vector.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, raw.length / 2, raw.length))));
    return new DERSequence(vector).getEncoded();
  }
}
