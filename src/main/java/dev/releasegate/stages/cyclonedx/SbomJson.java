package dev.releasegate.stages.cyclonedx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.parsers.JsonParser;

/**
 * Serializes a BOM as CycloneDX 1.6 JSON and refuses to hand out one that is not valid.
 *
 * <p>1.6 because it is the newest version both cyclonedx-core-java 12 (which knows up to 1.6) and
 * Trivy's {@code trivy sbom} read. The bytes are written with the project's deterministic JSON
 * writer, so equal BOMs are equal files.
 */
final class SbomJson {
  static final Version VERSION = Version.VERSION_16;
  private static final int ERRORS_SHOWN = 3;
  private static final int MAX_MESSAGE = 160;

  private SbomJson() {}

  /**
   * The BOM's JSON bytes, checked against the CycloneDX 1.6 JSON schema (cyclonedx-core-java's
   * validator) and for what a schema cannot say: unique bom-refs, and dependencies that only name
   * components of this BOM.
   *
   * @throws EnvironmentException when the BOM is invalid: the stage fails closed rather than attest it
   */
  static byte[] write(Bom bom) {
    JsonNode tree = BomGeneratorFactory.createJson(VERSION, bom).toJsonNode();
    byte[] bytes = Json.pretty(tree);
    List<String> problems = new ArrayList<>(referenceProblems(tree));
    try {
      for (ParseException error : new JsonParser().validate(bytes, VERSION)) {
        problems.add(shorten(error.getMessage()));
      }
    } catch (IOException e) {
      problems.add("the validator could not read it: " + e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new EnvironmentException("the generated SBOM is not valid CycloneDX " + VERSION.getVersionString() + ": "
          + problems.stream().limit(ERRORS_SHOWN).collect(Collectors.joining("; "))
          + (problems.size() > ERRORS_SHOWN ? " (and " + (problems.size() - ERRORS_SHOWN) + " more)" : "")
          + "; this is a releasegate bug, please report it");
    }
    return bytes;
  }

  /** Schema messages can quote a whole enumeration (all SPDX ids); the start says what is wrong. */
  private static String shorten(String message) {
    String text = String.valueOf(message);
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
  }

  /** Duplicate bom-refs, and dependency refs that name no component. */
  static List<String> referenceProblems(JsonNode bom) {
    List<String> problems = new ArrayList<>();
    Set<String> refs = new HashSet<>();
    List<JsonNode> all = new ArrayList<>();
    all.add(bom.path("metadata").path("component"));
    collect(bom.path("components"), all);
    for (JsonNode component : all) {
      String ref = component.path("bom-ref").asText("");
      if (!ref.isEmpty() && !refs.add(ref)) {
        problems.add("bom-ref " + ref + " is used twice");
      }
    }
    for (JsonNode dependency : bom.path("dependencies")) {
      String ref = dependency.path("ref").asText();
      if (!refs.contains(ref)) {
        problems.add("dependency names unknown bom-ref " + ref);
      }
      for (JsonNode target : dependency.path("dependsOn")) {
        if (!refs.contains(target.asText())) {
          problems.add("dependency of " + ref + " names unknown bom-ref " + target.asText());
        }
      }
    }
    return problems;
  }

  private static void collect(JsonNode components, List<JsonNode> into) {
    for (JsonNode component : components) {
      into.add(component);
      collect(component.path("components"), into);
    }
  }
}
