package dev.releasegate.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.testing.BaseImages;
import dev.releasegate.testing.Cli;
import dev.releasegate.testing.Examples;
import dev.releasegate.testing.LocalRegistry;
import dev.releasegate.testing.Releases;
import dev.releasegate.testing.TestKeys;
import dev.releasegate.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of the adversarial review: the project's test command reads every readable
 * {@code /proc/*}{@code /environ}, the key file and the docker credentials, and writes what it finds
 * into its JUnit report, its log and {@code target/classes} (bound for the image), plainly and in
 * base64. Isolated, it finds nothing; not isolated, nothing it found leaves: the artifacts are
 * redacted and the image is refused.
 */
class IsolationIT {
  private static final String REGISTRY_PASSWORD = "registry-pass-31415926";
  private static final String DOCKER_AUTH = "docker-auth-27182818";

  @RegisterExtension static LocalRegistry registry = new LocalRegistry();
  @TempDir static Path shared;
  static Path signer;
  static String base;
  static Path template;

  @TempDir Path work;

  @BeforeAll
  static void setUp() {
    signer = TestKeys.write(shared, "signer");
    base = BaseImages.java17();
    template = Examples.builtHelloService(shared.resolve("template"));
  }

  /** A test command that takes everything it can reach and writes it where a release would carry it. */
  private static String pipeline() {
    String thief = "mkdir -p target/r; "
        + "loot=$(for f in /proc/[0-9]*/environ; do tr '\\\\0' '\\\\n' < $f 2>/dev/null; done; cat $KEY $HOME/.docker/config.json 2>/dev/null); "
        + "printf '%s' \\\"$loot\\\" > target/classes/loot.txt; "
        + "b64=$(printf '%s' \\\"$loot\\\" | base64 -w0); echo \\\"$loot\\\"; "
        + "printf '<testsuite><testcase classname=\\\"Loot\\\" name=\\\"%s\\\"/></testsuite>' \\\"$b64\\\" > target/r/TEST-Loot.xml";
    return "apiVersion: releasegate/v1\nstages:\n"
        + "  - {name: test, uses: test, with: {command: [sh, -c, \"" + thief + "\"], reports: [target/r/*.xml]}}\n"
        + "  - {name: build, uses: jib, with: {buildCommand: [test, -d, target/classes]}}\n"
        + "  - {name: sign, uses: sign}\n  - {name: push, uses: push}\n";
  }

  private Map<String, String> environment() throws IOException {
    Map<String, String> environment = new HashMap<>(Releases.environment());
    Path home = Files.createDirectories(work.resolve("home"));
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"ghcr.example\":{\"auth\":\"" + DOCKER_AUTH + "\"}}}");
    environment.put("HOME", home.toString());
    environment.put("KEY", TestKeys.key(signer).toString());
    environment.put("RELEASEGATE_REGISTRY_USERNAME", "releaser");
    environment.put("RELEASEGATE_REGISTRY_PASSWORD", REGISTRY_PASSWORD);
    return environment;
  }

  private Cli.Result release(String name, Map<String, String> environment) {
    Path project = TestRepos.copyBuilt(template, work.resolve(name), Map.of("releasegate.yaml", pipeline()));
    return Cli.run(environment, work, "release", "--project", project.toString(), "--image", registry.address() + "/" + name, "--base", base,
        "--insecure-registry", "--version", "1.0.0", "--key", TestKeys.key(signer).toString(), "--evidence", work.resolve(name + "-evidence").toString(),
        "--json");
  }

  /** Every secret, and the forms a thief would write it in. */
  private static List<String> forbidden() throws IOException {
    List<String> forms = new ArrayList<>();
    String keyBody = Files.readAllLines(TestKeys.key(signer)).get(1);
    for (String secret : List.of(TestKeys.PASSWORD, REGISTRY_PASSWORD, DOCKER_AUTH, keyBody)) {
      forms.add(secret);
      forms.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)).replace("=", ""));
    }
    return forms;
  }

  private static void assertNoSecretIn(Path root) throws IOException {
    List<String> forbidden = forbidden();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = readMaybeGzipped(file);
        for (String form : forbidden) {
          assertFalse(content.contains(form), file + " holds a secret (" + form.length() + " chars)");
        }
      }
    }
  }

  /** A registry blob may be a gzip layer: its content is what a puller sees. */
  private static String readMaybeGzipped(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        bytes = out.toByteArray();
      }
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Test
  void isolatedTheBuildFindsNoSecretAndNothingItWritesCarriesOne() throws Exception {
    Cli.Result result = release("isolated", environment());

    assertEquals(0, result.exitCode(), result.toString());
    JsonNode index = Json.parse(Files.readAllBytes(work.resolve("isolated-evidence/bundle.json")));
    assertEquals("namespaces", index.get("isolation").asText());
    assertFalse(result.stderr().contains("WITHOUT isolation"), result.stderr());
    assertNoSecretIn(work.resolve("isolated-evidence"));
    assertNoSecretIn(registry.storageDirectory());
    String loot = Files.readString(work.resolve("isolated/target/classes/loot.txt"));
    assertFalse(loot.contains("COSIGN_PASSWORD") || loot.contains("ENCRYPTED"), "the sandbox showed the thief nothing: " + loot);
  }

  @Test
  void notIsolatedTheRunSaysSoRedactsWhatTheCommandWroteAndRefusesTheImage() throws Exception {
    Map<String, String> environment = environment();
    environment.put("RELEASEGATE_ISOLATION", "none");
    Cli.Result result = release("exposed", environment);

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("WARNING: the project's code runs WITHOUT isolation from the release's secrets"), result.stderr());
    JsonNode index = Json.parse(Files.readAllBytes(work.resolve("exposed-evidence/bundle.json")));
    assertEquals("none", index.get("isolation").asText());
    String reason = index.at("/stages/1/reason").asText();
    assertTrue(reason.startsWith("target/classes/loot.txt holds ") && reason.endsWith("a secret of the release must never go into the image"),
        reason);
    assertTrue(Files.readString(work.resolve("exposed/target/classes/loot.txt")).contains(REGISTRY_PASSWORD),
        "the thief did reach the secret: this test checks what happens next");
    assertNoSecretIn(work.resolve("exposed-evidence"));
    assertFalse(result.stdout().contains(REGISTRY_PASSWORD) || result.stderr().contains(REGISTRY_PASSWORD));
    assertEquals(List.of(), registry.tags("exposed"), "nothing published");
  }
}
