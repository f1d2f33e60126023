package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.base.Messages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Trivy JSON report (SchemaVersion 2), read strictly: a field the gate relies on that is missing or
 * of the wrong type makes the report unreadable rather than silently empty.
 */
final class TrivyReport {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final String artifactName;
  private final String artifactType;
  private final List<String> repoDigests;
  private final String imageId;
  private final boolean hasResults;
  private final List<Finding> findings;
  private final int secrets;
  private final int misconfigurations;

  private TrivyReport(String artifactName, String artifactType, List<String> repoDigests, String imageId, boolean hasResults,
      List<Finding> findings, int secrets, int misconfigurations) {
    this.artifactName = artifactName;
    this.artifactType = artifactType;
    this.repoDigests = List.copyOf(repoDigests);
    this.imageId = imageId;
    this.hasResults = hasResults;
    this.findings = List.copyOf(findings);
    this.secrets = secrets;
    this.misconfigurations = misconfigurations;
  }

  /** Parses a report; the exception message says what is wrong and where. */
  static TrivyReport parse(byte[] bytes) throws IOException {
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (IOException e) {
      throw new IOException("not valid JSON: " + Messages.firstLine(e.getMessage()), e);
    }
    if (!root.isObject()) {
      throw new IOException("not a JSON object");
    }
    JsonNode schemaVersion = root.get("SchemaVersion");
    if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.intValue() != 2) {
      throw new IOException("SchemaVersion is " + (schemaVersion == null ? "missing" : schemaVersion.toString())
          + "; releasegate reads SchemaVersion 2");
    }
    String artifactName = optionalText(root, "ArtifactName", "ArtifactName");
    String artifactType = optionalText(root, "ArtifactType", "ArtifactType");
    List<String> repoDigests = new ArrayList<>();
    String imageId = "";
    JsonNode metadata = root.get("Metadata");
    if (metadata != null && !metadata.isNull()) {
      if (!metadata.isObject()) {
        throw new IOException("Metadata must be an object");
      }
      imageId = optionalText(metadata, "ImageID", "Metadata.ImageID");
      JsonNode digests = metadata.get("RepoDigests");
      if (digests != null && !digests.isNull()) {
        if (!digests.isArray()) {
          throw new IOException("Metadata.RepoDigests must be an array");
        }
        for (JsonNode digest : digests) {
          if (!digest.isTextual()) {
            throw new IOException("Metadata.RepoDigests must hold strings");
          }
          repoDigests.add(digest.textValue());
        }
      }
    }

    JsonNode results = root.get("Results");
    boolean hasResults = results != null && !results.isNull();
    List<Finding> findings = new ArrayList<>();
    int secrets = 0;
    int misconfigurations = 0;
    if (hasResults) {
      if (!results.isArray()) {
        throw new IOException("Results must be an array");
      }
      for (int r = 0; r < results.size(); r++) {
        JsonNode result = results.get(r);
        String where = "Results[" + r + "]";
        if (!result.isObject()) {
          throw new IOException(where + " must be an object");
        }
        String target = optionalText(result, "Target", where + ".Target");
        String resultClass = optionalText(result, "Class", where + ".Class");
        String resultType = optionalText(result, "Type", where + ".Type");
        secrets += arraySize(result, "Secrets", where);
        misconfigurations += arraySize(result, "Misconfigurations", where);
        JsonNode vulnerabilities = result.get("Vulnerabilities");
        if (vulnerabilities == null || vulnerabilities.isNull()) {
          continue;
        }
        if (!vulnerabilities.isArray()) {
          throw new IOException(where + ".Vulnerabilities must be an array");
        }
        for (int v = 0; v < vulnerabilities.size(); v++) {
          JsonNode vulnerability = vulnerabilities.get(v);
          String at = where + ".Vulnerabilities[" + v + "]";
          if (!vulnerability.isObject()) {
            throw new IOException(at + " must be an object");
          }
          String id = requiredText(vulnerability, "VulnerabilityID", at);
          JsonNode severityNode = vulnerability.get("Severity");
          if (severityNode == null || !severityNode.isTextual() || severityNode.textValue().isEmpty()) {
            // Trivy before 0.72 leaves Severity out for an ID its DB has no details of.
            throw new IOException(at + " (" + id + ") has no Severity: trivy's DB has no details of " + id
                + " (trivy before 0.72 then omits it); update trivy or its DB");
          }
          String severityText = severityNode.textValue();
          Severity severity = Severity.parse(severityText).orElseThrow(() ->
              new IOException(at + ".Severity '" + severityText + "' is not one of " + String.join(", ", Severity.names())));
          findings.add(new Finding(
              id,
              severity,
              requiredText(vulnerability, "PkgName", at),
              optionalText(vulnerability, "InstalledVersion", at + ".InstalledVersion"),
              optionalText(vulnerability, "FixedVersion", at + ".FixedVersion"),
              optionalText(vulnerability, "Status", at + ".Status"),
              target,
              resultClass,
              resultType,
              optionalText(vulnerability, "PkgPath", at + ".PkgPath"),
              optionalText(vulnerability, "Title", at + ".Title"),
              optionalText(vulnerability, "Description", at + ".Description"),
              optionalText(vulnerability, "PrimaryURL", at + ".PrimaryURL")));
        }
      }
    }
    return new TrivyReport(artifactName, artifactType, repoDigests, imageId, hasResults, findings, secrets, misconfigurations);
  }

  /** The digest of the image config trivy read ({@code Metadata.ImageID}); empty when it gives none. */
  String imageId() {
    return imageId;
  }

  String artifactName() {
    return artifactName;
  }

  String artifactType() {
    return artifactType;
  }

  List<String> repoDigests() {
    return repoDigests;
  }

  /** False when the report has no {@code Results} key at all (Trivy omits it when nothing was analysed). */
  boolean hasResults() {
    return hasResults;
  }

  List<Finding> findings() {
    return findings;
  }

  int secrets() {
    return secrets;
  }

  int misconfigurations() {
    return misconfigurations;
  }

  /** The report says it scanned {@code digest}: its ArtifactName contains it, or a RepoDigest ends with it. */
  boolean names(String digest) {
    return artifactName.contains(digest) || repoDigests.stream().anyMatch(repoDigest -> repoDigest.endsWith("@" + digest));
  }

  /** Every image digest the report's ArtifactName and RepoDigests mention. */
  Set<String> mentionedDigests() {
    Set<String> digests = new LinkedHashSet<>();
    List<String> texts = new ArrayList<>(repoDigests);
    texts.add(0, artifactName);
    for (String text : texts) {
      Matcher matcher = DIGEST.matcher(text);
      while (matcher.find()) {
        digests.add(matcher.group());
      }
    }
    return digests;
  }

  private static String requiredText(JsonNode node, String field, String where) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new IOException(where + "." + field + " must be a non-empty string");
    }
    return value.textValue();
  }

  private static String optionalText(JsonNode node, String field, String where) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw new IOException(where + " must be a string");
    }
    return value.textValue();
  }

  private static int arraySize(JsonNode node, String field, String where) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return 0;
    }
    if (!value.isArray()) {
      throw new IOException(where + "." + field + " must be an array");
    }
    return value.size();
  }
}
