package dev.releasegate.cosign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.cosign.CosignFixtures.Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SimpleSigningPayloadTest {
  private static final String DIGEST = "sha256:d34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33fd34db33f";

  @ParameterizedTest
  @EnumSource(Image.class)
  void derivedGoldenIsTheSignedPayloadOfTheFixture(Image image) throws IOException {
    // FIXTURES.md: derived/*.simplesigning-payload.json is the base64-decoded payload of signature-1.
    assertArrayEquals(CosignFixtures.derivedPayload(image), image.signature().payload());
  }

  @Test
  void cosignPayloadIsRebuiltByteForByte() throws IOException {
    for (Image image : new Image[] {Image.VALID, Image.KEY_REKOR_VALID}) {
      byte[] golden = CosignFixtures.derivedPayload(image);
      SimpleSigningPayload parsed = SimpleSigningPayload.parse(golden);
      assertFalse(parsed.hasOptional());

      SimpleSigningPayload rebuilt = SimpleSigningPayload.forImage(image.repository, image.digest);
      assertEquals(new String(golden, StandardCharsets.UTF_8), new String(rebuilt.bytes(), StandardCharsets.UTF_8));
      assertArrayEquals(golden, rebuilt.bytes());
      assertEquals(parsed.dockerReference(), rebuilt.dockerReference());
      assertEquals(parsed.manifestDigest(), rebuilt.manifestDigest());
    }
  }

  /**
   * The with-tag payload was written by containers/image ({@code UntrustedCosignPayload.MarshalJSON}):
   * Go's json.Marshal of maps, so keys are sorted (creator before timestamp) and the timestamp is an
   * integer. That order is deterministic, so the bytes are reproducible from the parsed fields.
   */
  @Test
  void containersImagePayloadWithCreatorAndTimestampIsRebuiltByteForByte() throws IOException {
    byte[] golden = CosignFixtures.derivedPayload(Image.VALID_WITH_TAG);
    SimpleSigningPayload parsed = SimpleSigningPayload.parse(golden);
    assertEquals("192.168.64.2:5000/skopeo-signed:tag", parsed.dockerReference());
    assertEquals(Optional.of("containers/image 5.21.2-dev"), parsed.creator());
    assertEquals(Optional.of(1657296609L), parsed.timestamp());
    assertEquals(Map.of("creator", "containers/image 5.21.2-dev"), parsed.annotations());

    Map<String, Object> optional = new LinkedHashMap<>();
    optional.put("timestamp", parsed.timestamp().get()); // insertion order must not matter
    optional.put("creator", parsed.creator().get());
    SimpleSigningPayload rebuilt =
        SimpleSigningPayload.forImage(parsed.dockerReference(), parsed.manifestDigest()).withOptional(optional);
    assertArrayEquals(golden, rebuilt.bytes());
  }

  /** sigstore/sigstore pkg/signature/payload/payload_test.go TestMarshalCosign, cases with string/int claims. */
  @Test
  void matchesSigstoreMarshalGoldens() {
    assertEquals(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/test/image\"},\"image\":{\"docker-manifest-digest\":\""
            + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}",
        text(SimpleSigningPayload.forImage("example.com/test/image", DIGEST)));
    assertEquals(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/atomic/test/image\"},\"image\":{\"docker-manifest-digest\":\""
            + DIGEST + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":\"atomic\",\"timestamp\":1458239713}}",
        text(SimpleSigningPayload.forImage("example.com/atomic/test/image", DIGEST)
            .withOptional(Map.of("timestamp", 1458239713, "creator", "atomic"))));
  }

  @Test
  void annotationsAreWrittenAsGoWritesAMapOfStrings() {
    SimpleSigningPayload payload = SimpleSigningPayload.forImage("example.com/a", DIGEST)
        .withOptional(Map.of("z", "<b>&amp;</b>", "a", "line\nbreak \"q\" \u2028", "\ue000", "pua", "\ud83d\ude00", "emoji"));
    // Keys in UTF-8 byte order: U+E000 (EE 80 80) sorts before U+1F600 (F0 9F 98 80), though not in UTF-16.
    assertEquals(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/a\"},\"image\":{\"docker-manifest-digest\":\"" + DIGEST
            + "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"a\":\"line\\nbreak \\\"q\\\" \\u2028\","
            + "\"z\":\"\\u003cb\\u003e\\u0026amp;\\u003c/b\\u003e\",\"\ue000\":\"pua\",\"\ud83d\ude00\":\"emoji\"}}",
        text(payload));
    assertTrue(text(SimpleSigningPayload.forImage("example.com/a", DIGEST).withOptional(Map.of())).endsWith(",\"optional\":{}}"));
  }

  @Test
  void builtPayloadParsesBackToTheSameFields() throws IOException {
    SimpleSigningPayload built = SimpleSigningPayload.forImage("127.0.0.1:5000/hello", DIGEST).withOptional(Map.of("sha", "abc"));
    SimpleSigningPayload parsed = SimpleSigningPayload.parse(built.bytes());
    assertEquals("127.0.0.1:5000/hello", parsed.dockerReference());
    assertEquals(DIGEST, parsed.manifestDigest());
    assertEquals(Map.of("sha", "abc"), parsed.annotations());
    assertEquals(built.digest(), parsed.digest());
  }

  @Test
  void builderRefusesWhatCosignWouldNotSign() {
    assertThrows(IllegalArgumentException.class, () -> SimpleSigningPayload.forImage("Not A Reference", DIGEST));
    assertThrows(IllegalArgumentException.class, () -> SimpleSigningPayload.forImage("example.com/a", "sha256:abc"));
    assertThrows(IllegalArgumentException.class,
        () -> SimpleSigningPayload.forImage("example.com/a", DIGEST).withOptional(Map.of("x", 1.5)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // unknown key inside critical: the attack containers/image's exact-fields rule stops
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature','extra':1},'optional':null}"
            + " | payload: unknown key \"extra\" in critical",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'},'optional':null,'x':1}"
            + " | payload: unknown key \"x\"",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'}}"
            + " | payload: missing \"optional\"",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'}},'optional':null}"
            + " | payload: missing \"type\" in critical",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':'atomic container signature'},'optional':null}"
            + " | payload: unrecognized signature type \"atomic container signature\"",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d','size':3},'type':'cosign container image signature'},'optional':null}"
            + " | payload: unknown key \"size\" in critical.image",
        "{'critical':{'identity':{'docker-reference':'r','tag':'t'},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'},'optional':null}"
            + " | payload: unknown key \"tag\" in critical.identity",
        "{'critical':{'identity':{},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'},'optional':null}"
            + " | payload: missing \"docker-reference\" in critical.identity",
        "{'critical':{'identity':{'docker-reference':null},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'},'optional':null}"
            + " | payload: critical.identity.docker-reference must be a string",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':1},'optional':null}"
            + " | payload: critical.type must be a string",
        "{'critical':[],'optional':null} | payload: critical must be a JSON object",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'},'optional':'x'}"
            + " | payload: optional must be null or an object",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'},'optional':{'creator':7}}"
            + " | payload: optional.creator must be a string",
        "{'critical':{'identity':{'docker-reference':'r'},'image':{'docker-manifest-digest':'d'},'type':'cosign container image signature'},'optional':{'timestamp':1.5}}"
            + " | payload: optional.timestamp must be an integer",
        "[] | payload: expected a JSON object",
      })
  void parseIsStrict(String json, String message) {
    IOException e = assertThrows(IOException.class, () -> SimpleSigningPayload.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void parseRefusesDuplicateKeysAndTrailingData() {
    String valid = "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
    String duplicate = valid.replace("\"type\":", "\"type\":\"x\",\"type\":");
    IOException e = assertThrows(IOException.class, () -> SimpleSigningPayload.parse(duplicate.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("payload is not valid JSON: Duplicate field 'type'"), e.getMessage());
    assertThrows(IOException.class, () -> SimpleSigningPayload.parse((valid + "{}").getBytes(StandardCharsets.UTF_8)));
    assertThrows(IOException.class, () -> SimpleSigningPayload.parse("not json".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void unknownOptionalKeysAreIgnoredAsContainersImageDoes() throws IOException {
    String json = "{\"critical\":{\"identity\":{\"docker-reference\":\"r\"},\"image\":{\"docker-manifest-digest\":\"d\"},\"type\":\"cosign container image signature\"},"
        + "\"optional\":{\"nested\":{\"a\":[1,null]},\"timestamp\":1.5e9,\"note\":\"n\"}}";
    SimpleSigningPayload parsed = SimpleSigningPayload.parse(json.getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.of(1_500_000_000L), parsed.timestamp());
    assertEquals(Map.of("note", "n"), parsed.annotations());
    assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), parsed.bytes(), "parsed payload keeps its exact bytes");
  }

  private static String text(SimpleSigningPayload payload) {
    return new String(payload.bytes(), StandardCharsets.UTF_8);
  }
}
