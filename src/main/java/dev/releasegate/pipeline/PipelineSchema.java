package dev.releasegate.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.StageFactory;

/**
 * The JSON Schema of pipeline files, generated from the stage types' declared options so that editors
 * complete exactly what the validator accepts.
 */
public final class PipelineSchema {
  public static final String ID = "https://releasegate.dev/schemas/pipeline-v1.json";

  private PipelineSchema() {}

  public static ObjectNode generate(StageTypes types) {
    ObjectNode schema = Json.object();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.put("$id", ID);
    schema.put("title", "releasegate pipeline");
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    schema.putArray("required").add("apiVersion").add("stages");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("apiVersion").put("const", PipelineValidator.API_VERSION);

    ObjectNode image = properties.putObject("image");
    image.put("type", "object").put("additionalProperties", false);
    ObjectNode imageProperties = image.putObject("properties");
    imageProperties.putObject("repository").put("type", "string")
        .put("description", "Where the image goes: host/path without tag or digest.");
    imageProperties.putObject("base").put("type", "string")
        .put("description", "Base image, by tag or (better) by digest.");
    imageProperties.putObject("labels").put("type", "object")
        .put("description", "Extra image labels.")
        .putObject("additionalProperties").put("type", "string");

    ObjectNode attach = properties.putObject("attach");
    attach.put("type", "object").put("additionalProperties", false)
        .put("description", "What a released run attaches to its image after the verdict.");
    ObjectNode attachProperties = attach.putObject("properties");
    attachProperties.putObject("verdict").put("type", "boolean").put("default", true)
        .put("description", "The signed verdict (SLSA verification summary) as an attestation of the image.");
    attachProperties.putObject("evidence").put("type", "boolean").put("default", true)
        .put("description", "The evidence bundle as an OCI artifact that refers to the image.");

    ObjectNode stages = properties.putObject("stages");
    stages.put("type", "array").put("minItems", 1).put("maxItems", EvidenceLayout.MAX_STAGES);
    ObjectNode stage = stages.putObject("items");
    stage.put("type", "object").put("additionalProperties", false);
    stage.putArray("required").add("name").add("uses");
    ObjectNode stageProperties = stage.putObject("properties");
    stageProperties.putObject("name").put("type", "string").put("pattern", "^" + EvidenceLayout.STAGE_NAME.pattern() + "$");
    ArrayNode typeNames = stageProperties.putObject("uses").put("type", "string").putArray("enum");
    stageProperties.putObject("with").put("type", "object");
    ObjectNode timeout = stageProperties.putObject("timeoutMinutes");
    timeout.put("description", "Stop and fail the stage after this long. Default: the stage's own timeoutSeconds plus "
        + StageFactory.DEADLINE_MARGIN.toMinutes() + " minutes, else " + StageFactory.DEFAULT_DEADLINE.toMinutes() + " minutes.");
    timeout.put("type", "integer").put("minimum", 1).put("maximum", PipelineValidator.MAX_TIMEOUT_MINUTES);
    ObjectNode needs = stageProperties.putObject("needs");
    needs.put("description", "Earlier stages that must pass before this one starts, beyond what its inputs imply.");
    ArrayNode needsTypes = needs.putArray("oneOf");
    needsTypes.addObject().put("type", "string");
    needsTypes.addObject().put("type", "array").putObject("items").put("type", "string");
    ArrayNode rules = stage.putArray("allOf");
    for (StageFactory factory : types.all()) {
      typeNames.add(factory.type());
      ObjectNode rule = rules.addObject();
      rule.putObject("if").putObject("properties").putObject("uses").put("const", factory.type());
      ObjectNode with = rule.putObject("then").putObject("properties").putObject("with");
      with.put("description", factory.description());
      object(with, factory.options());
    }
    return schema;
  }

  private static void object(ObjectNode target, OptionSchema spec) {
    target.put("type", "object").put("additionalProperties", false);
    ObjectNode properties = target.putObject("properties");
    ArrayNode required = Json.array();
    for (OptionSpec option : spec.all()) {
      properties.set(option.name(), option(option));
      if (option.isRequired()) {
        required.add(option.name());
      }
    }
    if (!required.isEmpty()) {
      target.set("required", required);
    }
  }

  private static ObjectNode option(OptionSpec option) {
    ObjectNode node = Json.object();
    node.put("description", option.description());
    switch (option.kind()) {
      case STRING -> {
        node.putArray("type").add("string").add("number").add("boolean");
        enumValues(node, option);
      }
      case INTEGER -> {
        node.put("type", "integer");
        if (option.min() != Long.MIN_VALUE) {
          node.put("minimum", option.min());
        }
        if (option.max() != Long.MAX_VALUE) {
          node.put("maximum", option.max());
        }
      }
      case BOOLEAN -> node.put("type", "boolean");
      case STRING_LIST -> {
        ObjectNode item = Json.object();
        item.putArray("type").add("string").add("number").add("boolean");
        enumValues(item, option);
        ArrayNode oneOf = node.putArray("oneOf");
        oneOf.addObject().put("type", "array").set("items", item);
        oneOf.add(item.deepCopy());
      }
      case COMMAND -> {
        node.put("type", "array").put("minItems", 1);
        ObjectNode program = node.putArray("prefixItems").addObject();
        program.put("type", "string").put("minLength", 1);
        node.putObject("items").putArray("type").add("string").add("number").add("boolean");
      }
      case STRING_MAP -> node.put("type", "object").putObject("additionalProperties").putArray("type")
          .add("string").add("number").add("boolean");
      case OBJECT_LIST -> {
        ObjectNode item = Json.object();
        object(item, option.fields());
        node.put("type", "array");
        if (option.shorthandField().isPresent()) {
          node.putObject("items").putArray("oneOf").add(item).addObject().put("type", "string");
        } else {
          node.set("items", item);
        }
      }
      default -> throw new IllegalStateException("unhandled kind " + option.kind());
    }
    option.defaultValue().ifPresent(value -> node.set("default", Json.MAPPER.valueToTree(value)));
    return node;
  }

  private static void enumValues(ObjectNode node, OptionSpec option) {
    if (!option.allowedValues().isEmpty()) {
      ArrayNode values = node.putArray("enum");
      option.allowedValues().forEach(values::add);
    }
  }
}
