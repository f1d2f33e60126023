package dev.releasegate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A secret is found and replaced in every form a program writes it in without meaning to. */
class SecretsTest {
  private static final String PASSWORD = "hunter2-correct-horse";
  private final Secrets secrets = new Secrets(Map.of("COSIGN_PASSWORD", PASSWORD, "PATH", "/usr/bin", "SMOKE_TOKEN", "tok-5551212-abc"));

  @Test
  void everyEncodingAtEveryAlignmentIsFoundAndNamedByItsVariable() throws IOException {
    String[] texts = {
      "password=" + PASSWORD,
      "Authorization: Basic " + Base64.getEncoder().encodeToString(("releaser:" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
      Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)),
      Base64.getUrlEncoder().encodeToString(("x" + PASSWORD + "yz").getBytes(StandardCharsets.UTF_8)),
      Base64.getEncoder().encodeToString(("ab" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
      "hex " + HexFormat.of().formatHex(PASSWORD.getBytes(StandardCharsets.UTF_8)),
      "HEX " + HexFormat.of().withUpperCase().formatHex(PASSWORD.getBytes(StandardCharsets.UTF_8)),
      "url=" + URLEncoder.encode(PASSWORD + "&", StandardCharsets.UTF_8)
    };
    for (String text : texts) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      Optional<String> found = found(secrets, bytes);
      assertTrue(found.isPresent() && found.get().startsWith("COSIGN_PASSWORD"), text);
      byte[] redacted = secrets.redact(bytes).orElseThrow();
      assertTrue(found(secrets, redacted).isEmpty(), "nothing left of it: " + new String(redacted, StandardCharsets.UTF_8));
      assertTrue(new String(redacted, StandardCharsets.UTF_8).contains("***"));
    }
    assertEquals("token ***", secrets.redact("token " + PASSWORD));
  }

  @Test
  void onlyTheVariablesReadAsSecretsAreKeptFromSubprocesses() throws IOException {
    assertFalse(secrets.subprocessEnvironment().containsKey("COSIGN_PASSWORD"));
    assertTrue(secrets.subprocessEnvironment().containsKey("SMOKE_TOKEN"), "not known as a secret yet");
    secrets.read("SMOKE_TOKEN");
    assertFalse(secrets.subprocessEnvironment().containsKey("SMOKE_TOKEN"));
    assertEquals("/usr/bin", secrets.subprocessEnvironment().get("PATH"));
    assertEquals(Optional.of("SMOKE_TOKEN"), found(secrets, "tok-5551212-abc".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aStreamIsSearchedWholeAcrossItsWindows() throws IOException {
    byte[] password = PASSWORD.getBytes(StandardCharsets.UTF_8);
    // Straddling the first window's end, lying in the third window, ending the stream, and nowhere.
    for (int at : new int[] {Secrets.WINDOW - 5, 2 * Secrets.WINDOW + 17, 3 * Secrets.WINDOW - password.length}) {
      byte[] content = new byte[3 * Secrets.WINDOW];
      new Random(at).nextBytes(content);
      content = secrets.redact(content).orElse(content);
      assertEquals(Optional.empty(), secrets.find(new ByteArrayInputStream(content)), "random bytes at " + at);
      System.arraycopy(password, 0, content, at, password.length);
      assertEquals(Optional.of("COSIGN_PASSWORD"), secrets.find(new ByteArrayInputStream(content)), "at " + at);
    }
  }

  @Test
  void aSecretBeyondAsciiIsFoundAndReplacedByItsUtf8Bytes() throws IOException {
    Secrets unicode = new Secrets(Map.of("COSIGN_PASSWORD", "pässwörd-ünïcode"));
    byte[] content = "key: pässwörd-ünïcode, again pässwörd-ünïcode".getBytes(StandardCharsets.UTF_8);
    assertEquals(Optional.of("COSIGN_PASSWORD"), unicode.find(new ByteArrayInputStream(content)));
    assertEquals("key: ***, again ***", new String(unicode.redact(content).orElseThrow(), StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), unicode.find(new ByteArrayInputStream("pässwörd-ünïcod".getBytes(StandardCharsets.ISO_8859_1))));
  }

  @Test
  void textWithoutASecretIsLeftAlone() {
    assertEquals(Optional.empty(), secrets.redact("nothing to see here".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aValueTooShortToTellFromTextIsKeptFromSubprocessesButNotRedacted() {
    Secrets short_ = new Secrets(Map.of("COSIGN_PASSWORD", "x", "RELEASEGATE_REGISTRY_PASSWORD", "2024"));
    assertEquals("exited with 0", short_.redact("exited with 0"), "a one-letter password would blank out every x");
    assertEquals(java.util.Set.of("COSIGN_PASSWORD"), short_.tooShortToRedact());
    assertFalse(short_.subprocessEnvironment().containsKey("COSIGN_PASSWORD"));
    // A value of digits has one hex form; the four digits themselves are redacted, the hex is long enough.
    assertEquals("year *** (***)", short_.redact("year 2024 (" + HexFormat.of().formatHex("2024".getBytes(StandardCharsets.UTF_8)) + ")"));
  }

  private static Optional<String> found(Secrets secrets, byte[] content) throws IOException {
    return secrets.find(new ByteArrayInputStream(content));
  }
}
