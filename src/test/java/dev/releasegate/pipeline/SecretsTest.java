package dev.releasegate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A secret is found and replaced in every form a program writes it in without meaning to. */
class SecretsTest {
  private static final String PASSWORD = "hunter2-correct-horse";
  private final Secrets secrets = new Secrets(Map.of("COSIGN_PASSWORD", PASSWORD, "PATH", "/usr/bin", "SMOKE_TOKEN", "tok-5551212-abc"));

  @Test
  void everyEncodingAtEveryAlignmentIsFoundAndNamedByItsVariable() {
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
      Optional<String> found = secrets.find(bytes);
      assertTrue(found.isPresent() && found.get().startsWith("COSIGN_PASSWORD"), text);
      byte[] redacted = secrets.redact(bytes).orElseThrow();
      assertTrue(secrets.find(redacted).isEmpty(), "nothing left of it: " + new String(redacted, StandardCharsets.UTF_8));
      assertTrue(new String(redacted, StandardCharsets.UTF_8).contains("***"));
    }
    assertEquals("token ***", secrets.redact("token " + PASSWORD));
  }

  @Test
  void onlyTheVariablesReadAsSecretsAreKeptFromSubprocesses() {
    assertFalse(secrets.subprocessEnvironment().containsKey("COSIGN_PASSWORD"));
    assertTrue(secrets.subprocessEnvironment().containsKey("SMOKE_TOKEN"), "not known as a secret yet");
    secrets.read("SMOKE_TOKEN");
    assertFalse(secrets.subprocessEnvironment().containsKey("SMOKE_TOKEN"));
    assertEquals("/usr/bin", secrets.subprocessEnvironment().get("PATH"));
    assertEquals(Optional.of("SMOKE_TOKEN"), secrets.find("tok-5551212-abc".getBytes(StandardCharsets.UTF_8)));
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
}
