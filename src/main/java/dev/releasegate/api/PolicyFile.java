package dev.releasegate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.evidence.EvidencePolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A policy file, the demands a verifier makes of a release's evidence:
 *
 * <pre>
 * requirePassed: [trivy, smoke, {type: test, stage: unit}]   # stage types; a name only together with its type
 * allowDirty: false                                          # default false
 * requireIsolation: true                                     # default false
 * maxScanDbAgeHours: 72                                      # a passed scan's DB at most this old, now
 * minWaiverValidityDays: 0                                   # applied waivers still valid this many days from now
 * </pre>
 */
final class PolicyFile {
  private static final List<String> KEYS =
      List.of("requirePassed", "allowDirty", "requireIsolation", "maxScanDbAgeHours", "minWaiverValidityDays");

  private PolicyFile() {}

  /** @throws InvalidInputException for a file that is not such a mapping, naming the key that is wrong */
  static EvidencePolicy read(Path file) {
    JsonNode policy;
    try {
      policy = new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException("policy file " + file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (policy == null || policy.isMissingNode() || policy.isNull()) {
      throw new InvalidInputException("policy file " + file + " is empty");
    }
    if (!policy.isObject()) {
      throw new InvalidInputException("policy file " + file + ": expected a mapping with " + String.join(", ", KEYS));
    }
    List<String> unknown = new ArrayList<>();
    policy.fieldNames().forEachRemaining(name -> {
      if (!KEYS.contains(name)) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      throw new InvalidInputException("policy file " + file + ": unknown key " + String.join(", ", unknown)
          + " (expected " + String.join(", ", KEYS) + ")");
    }
    List<EvidencePolicy.Requirement> required = new ArrayList<>();
    JsonNode list = policy.path("requirePassed");
    if (!list.isMissingNode() && !list.isArray()) {
      throw new InvalidInputException("policy file " + file + ": requirePassed must be a list of stage types");
    }
    for (JsonNode item : list) {
      if (item.isTextual() && !item.textValue().isBlank()) {
        required.add(EvidencePolicy.Requirement.type(item.textValue()));
      } else if (item.isObject() && item.path("type").isTextual() && item.size() == (item.has("stage") ? 2 : 1)
          && (!item.has("stage") || item.get("stage").isTextual())) {
        required.add(new EvidencePolicy.Requirement(item.get("type").textValue(),
            item.has("stage") ? Optional.of(item.get("stage").textValue()) : Optional.empty()));
      } else {
        throw new InvalidInputException("policy file " + file + ": requirePassed holds stage types, or {type: TYPE, stage: NAME}; not " + item);
      }
    }
    // A policy is a demand: a release from a dirty tree fails it unless the policy allows it.
    return new EvidencePolicy(required, flag(policy, "allowDirty", file), flag(policy, "requireIsolation", file),
        count(policy, "maxScanDbAgeHours", file), count(policy, "minWaiverValidityDays", file));
  }

  private static Optional<Long> count(JsonNode policy, String name, Path file) {
    JsonNode value = policy.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 0) {
      throw new InvalidInputException("policy file " + file + ": " + name + " must be a whole number of 0 or more");
    }
    return Optional.of(value.longValue());
  }

  private static boolean flag(JsonNode policy, String name, Path file) {
    JsonNode value = policy.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidInputException("policy file " + file + ": " + name + " must be true or false");
    }
    return value.booleanValue();
  }
}
