package dev.releasegate.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema in pipelines/ is generated from the stage types; this keeps the committed file current.
 * Regenerate with {@code mvn test -Dtest=PipelineSchemaTest -Dreleasegate.updateSchema=true}.
 */
class PipelineSchemaTest {
  private static final Path COMMITTED = Path.of("pipelines/releasegate.schema.json");

  @Test
  void committedSchemaIsGeneratedFromTheStageTypes() throws IOException {
    byte[] generated = Json.pretty(PipelineSchema.generate(StageTypes.load().builtIn()));
    if (Boolean.getBoolean("releasegate.updateSchema")) {
      Files.write(COMMITTED, generated);
    }
    assertEquals(new String(generated, StandardCharsets.UTF_8), Files.readString(COMMITTED),
        "pipelines/releasegate.schema.json is stale; regenerate it (see this test's comment)");
    assertFalse(Files.readString(COMMITTED).contains("shout"), "test plug-ins stay out of the published schema");
  }

  @Test
  void schemaAcceptsWhatTheValidatorAcceptsAndRejectsAnUnknownOption() throws IOException {
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(Json.parse(Files.readAllBytes(COMMITTED)));
    JsonNode builtIn = new YAMLMapper().readTree(PipelineLoader.builtin());
    assertEquals(List.of(), messages(schema.validate(builtIn)));

    JsonNode bad = new YAMLMapper().readTree("apiVersion: releasegate/v1\nstages:\n  - {name: a, uses: test, with: {comand: [x]}}\n");
    assertTrue(!schema.validate(bad).isEmpty(), "an unknown option is refused by the schema too");
  }

  private static List<String> messages(List<Error> errors) {
    return errors.stream().map(Error::toString).toList();
  }
}
