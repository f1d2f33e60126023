package dev.releasegate.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The image config fields both stages read, and the strictness that keeps a malformed config from passing by omission. */
class ImageConfigTest {
  private static final String DIFF_ID = "sha256:" + "ab".repeat(32);

  /** A config as jib writes it for a Java service, with a duplicate variable and a health check. */
  private static ObjectNode config() {
    ObjectNode root = Json.object().put("architecture", "amd64").put("os", "linux");
    ObjectNode config = root.putObject("config");
    config.put("User", "65532");
    config.putArray("Env").add("PATH=/usr/bin").add("JAVA_TOOL_OPTIONS").add("RELEASE_VERSION=1.0.0").add("PATH=/bin:/usr/bin");
    config.putObject("Labels").put("org.opencontainers.image.version", "1.0.0").put("org.opencontainers.image.created", "2026-01-02T03:04:05Z");
    config.putArray("Entrypoint").add("java").add("-cp").add("@/app/jib-classpath-file").add("Main");
    config.putArray("Cmd").add("--port=8080");
    config.putObject("ExposedPorts").putObject("8080/tcp");
    config.put("WorkingDir", "/app");
    config.putObject("Healthcheck").putArray("Test").add("CMD").add("/app/health");
    root.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(DIFF_ID);
    root.putArray("history").addObject().put("created_by", "jib");
    return root;
  }

  private static ImageConfig parse(ObjectNode root) throws IOException {
    return ImageConfig.parse(Json.compact(root), true);
  }

  @Test
  void everyFieldReleasegateReads() throws IOException {
    ImageConfig config = parse(config());

    assertEquals(true, config.docker());
    assertEquals("amd64", config.architecture());
    assertEquals("linux", config.os());
    assertEquals("65532", config.user());
    assertEquals(List.of("PATH", "JAVA_TOOL_OPTIONS", "RELEASE_VERSION"), List.copyOf(config.environment().keySet()), "in order");
    assertEquals("/bin:/usr/bin", config.environment().get("PATH"), "a later duplicate wins, as at run time");
    assertEquals("", config.environment().get("JAVA_TOOL_OPTIONS"), "a name without = is set to empty");
    assertEquals(List.of("org.opencontainers.image.version", "org.opencontainers.image.created"), List.copyOf(config.labels().keySet()),
        "labels in the config's order");
    assertEquals(List.of("java", "-cp", "@/app/jib-classpath-file", "Main", "--port=8080"), config.commandLine());
    assertEquals(List.of("8080/tcp"), config.exposedPorts());
    assertEquals("/app", config.workingDir());
    assertEquals(Optional.of(List.of("CMD", "/app/health")), config.healthcheck());
    assertEquals(List.of(DIFF_ID), config.diffIds());
  }

  @Test
  void absentFieldsAreEmptyAndAConfigWithoutConfigIsEmptyToo() throws IOException {
    ImageConfig bare = ImageConfig.parse("{}".getBytes(StandardCharsets.UTF_8), false);
    assertEquals(new ImageConfig(false, "", "", "", Map.of(), Map.of(), List.of(), List.of(), List.of(), "", Optional.empty(), List.of()),
        bare);
    ImageConfig nulls = ImageConfig.parse("{\"config\": {\"Env\": null, \"Labels\": null, \"Healthcheck\": null}, \"rootfs\": null}"
        .getBytes(StandardCharsets.UTF_8), false);
    assertEquals(bare, nulls, "null is absent, as Go's encoding/json writes absent slices and maps");
  }

  @Test
  void mistypedFieldsAreErrorsNotAbsentFields() {
    ObjectNode user = config();
    ((ObjectNode) user.get("config")).put("User", 0);
    assertEquals("config.User is not a string", assertThrows(IOException.class, () -> parse(user)).getMessage());
    ObjectNode labels = config();
    ((ObjectNode) labels.at("/config/Labels")).put("org.opencontainers.image.version", 1);
    assertEquals("config.Labels.org.opencontainers.image.version is not a string",
        assertThrows(IOException.class, () -> parse(labels)).getMessage());
    ObjectNode health = config();
    ((ObjectNode) health.at("/config/Healthcheck")).put("Test", "CMD true");
    assertEquals("config.Healthcheck.Test is not a list", assertThrows(IOException.class, () -> parse(health)).getMessage());
    ObjectNode entrypoint = config();
    ((ObjectNode) entrypoint.get("config")).putArray("Entrypoint").add(1);
    assertEquals("config.Entrypoint holds a value that is not a string", assertThrows(IOException.class, () -> parse(entrypoint)).getMessage());
    ObjectNode architecture = config().put("architecture", 64);
    assertEquals("architecture is not a string", assertThrows(IOException.class, () -> parse(architecture)).getMessage());
    assertEquals("the image config is not a JSON object",
        assertThrows(IOException.class, () -> ImageConfig.parse("[]".getBytes(StandardCharsets.UTF_8), false)).getMessage());
  }

  @Test
  void diffIdsMustBeSha256Digests() {
    ObjectNode truncated = config();
    ((ObjectNode) truncated.get("rootfs")).putArray("diff_ids").add("sha256:abc");
    assertEquals("rootfs.diff_ids holds sha256:abc, which is not sha256:<64 hex>", assertThrows(IOException.class, () -> parse(truncated)).getMessage());
    ObjectNode text = config();
    ((ObjectNode) text.get("rootfs")).put("diff_ids", DIFF_ID);
    assertEquals("rootfs.diff_ids is not a list", assertThrows(IOException.class, () -> parse(text)).getMessage());
  }
}
