package dev.releasegate.stages.trivy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Trivy's copy of the image config, as trivy writes it, kept in the evidence without the secrets the lint rejects. */
class ReportSecretsTest {
  private static final String TOKEN = "ghp_" + "a1B2c3D4e5".repeat(3) + "f6G7h8";

  private static byte[] report(String config, String history) {
    return ("""
        {"SchemaVersion": 2, "ArtifactName": "registry.test/app@sha256:ab", "ArtifactType": "container_image",
         "Metadata": {"ImageConfig": {"architecture": "amd64", "history": [%s], "config": {%s}}}, "Results": []}
        """).formatted(history, config).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void secretsInEnvLabelsArgumentsAndHistoryAreReplacedByMarkers() throws IOException {
    byte[] raw = report("""
        "Env": ["PATH=/usr/bin", "GH_PAT=%s", "DB_PASSWORD=hunter2"],
        "Labels": {"org.opencontainers.image.title": "app", "com.example.db": "pw=hunter3"},
        "Cmd": ["java", "--token=%s"]""".formatted(TOKEN, TOKEN),
        "{\"created_by\": \"ENV GH_PAT=" + TOKEN + "\"}, {\"created_by\": \"COPY app /app\"}");

    JsonNode cleaned = Json.parse(ReportSecrets.removed(raw).orElseThrow());
    JsonNode config = cleaned.at("/Metadata/ImageConfig/config");
    assertEquals("[\"PATH=/usr/bin\",\"GH_PAT=[removed by releasegate: a GitHub token]\","
        + "\"DB_PASSWORD=[removed by releasegate: secret-like name with a value]\"]", config.get("Env").toString());
    assertEquals("app", config.at("/Labels/org.opencontainers.image.title").asText());
    assertEquals("[removed by releasegate: a password assignment]", config.at("/Labels/com.example.db").asText());
    assertEquals("--token=[removed by releasegate: a GitHub token]", config.at("/Cmd/1").asText());
    assertEquals("[removed by releasegate: a GitHub token]", cleaned.at("/Metadata/ImageConfig/history/0/created_by").asText());
    assertEquals("COPY app /app", cleaned.at("/Metadata/ImageConfig/history/1/created_by").asText());
    assertEquals("registry.test/app@sha256:ab", cleaned.get("ArtifactName").asText(), "the rest of the report is kept");
    String text = cleaned.toString();
    assertFalse(text.contains(TOKEN) || text.contains("hunter"), text);
  }

  @Test
  void aReportWithoutSecretsIsKeptAsTrivyWroteIt() throws IOException {
    assertEquals(Optional.empty(), ReportSecrets.removed(report("\"Env\": [\"PATH=/usr/bin\"], \"Labels\": {\"a\": \"b\"}", "")));
  }
}
