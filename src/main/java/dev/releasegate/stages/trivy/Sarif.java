package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gate's findings as SARIF 2.1.0, shaped for GitHub code scanning: one rule per vulnerability id
 * with {@code properties.security-severity}, one result per finding located at the package (the jar
 * for language packages, the image repository for OS packages, as Trivy's own SARIF does). Levels
 * follow the gate: {@code error} for a severity in {@code failOn}. Waived and ignored-unfixed
 * findings stay in, marked with a SARIF suppression that says why.
 */
final class Sarif {
  static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

  private Sarif() {}

  static ObjectNode build(TrivyReport report, Gate gate, ImageReference image, String scannerVersion) {
    ObjectNode sarif = Json.object();
    sarif.put("$schema", SCHEMA);
    sarif.put("version", "2.1.0");
    ObjectNode run = sarif.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "Trivy");
    driver.put("fullName", "Trivy Vulnerability Scanner");
    driver.put("version", scannerVersion);
    driver.put("informationUri", "https://github.com/aquasecurity/trivy");
    ArrayNode rules = driver.putArray("rules");
    ArrayNode results = run.putArray("results");

    Map<String, Integer> ruleIndex = new LinkedHashMap<>();
    Map<String, ObjectNode> ruleById = new LinkedHashMap<>();
    for (Finding finding : gate.found()) {
      Integer index = ruleIndex.get(finding.id());
      if (index == null) {
        index = rules.size();
        ruleIndex.put(finding.id(), index);
        ObjectNode rule = rule(finding, gate);
        rules.add(rule);
        ruleById.put(finding.id(), rule);
      } else {
        raiseRule(ruleById.get(finding.id()), finding, gate);
      }
      results.add(result(finding, index, gate, image));
    }
    run.put("columnKind", "utf16CodeUnits");
    ObjectNode properties = run.putObject("properties");
    properties.put("imageName", image.toString());
    properties.put("artifactName", report.artifactName());
    properties.put("gate", gate.passed() ? "passed" : "rejected");
    return sarif;
  }

  private static ObjectNode rule(Finding finding, Gate gate) {
    ObjectNode rule = Json.object();
    rule.put("id", finding.id());
    rule.put("name", "lang-pkgs".equals(finding.resultClass()) ? "LanguageSpecificPackageVulnerability" : "OsPackageVulnerability");
    String title = finding.title().isBlank() ? finding.id() : finding.title();
    rule.putObject("shortDescription").put("text", title);
    rule.putObject("fullDescription").put("text", finding.description().isBlank() ? title : finding.description());
    absoluteUri(finding.primaryUrl()).ifPresent(uri -> rule.put("helpUri", uri));
    String link = finding.primaryUrl().isBlank() ? "" : "\nLink: " + finding.primaryUrl();
    rule.putObject("help")
        .put("text", "Vulnerability " + finding.id() + "\nSeverity: " + finding.severity() + "\nPackage: " + finding.pkgName()
            + "\nFixed Version: " + finding.fixedVersion() + link + (finding.description().isBlank() ? "" : "\n" + finding.description()))
        .put("markdown", "**Vulnerability " + finding.id() + "**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|"
            + finding.severity() + "|" + finding.pkgName() + "|" + finding.fixedVersion() + "|"
            + (finding.primaryUrl().isBlank() ? "" : "[" + finding.id() + "](" + finding.primaryUrl() + ")") + "|"
            + (finding.description().isBlank() ? "" : "\n\n" + finding.description()));
    rule.putObject("defaultConfiguration").put("level", level(finding.severity(), gate));
    ObjectNode properties = rule.putObject("properties");
    properties.putArray("tags").add("vulnerability").add("security").add(finding.severity().name());
    properties.put("precision", "very-high");
    properties.put("security-severity", finding.severity().securitySeverity());
    return rule;
  }

  /** The same id in several packages can carry different severities; the rule shows the highest. */
  private static void raiseRule(ObjectNode rule, Finding finding, Gate gate) {
    Severity current = Severity.parse(rule.at("/properties/tags/2").asText()).orElse(Severity.UNKNOWN);
    if (finding.severity().compareTo(current) < 0) {
      ((ObjectNode) rule.get("defaultConfiguration")).put("level", level(finding.severity(), gate));
      ObjectNode properties = (ObjectNode) rule.get("properties");
      ((ArrayNode) properties.get("tags")).set(2, finding.severity().name());
      properties.put("security-severity", finding.severity().securitySeverity());
    }
  }

  private static ObjectNode result(Finding finding, int ruleIndex, Gate gate, ImageReference image) {
    ObjectNode result = Json.object();
    result.put("ruleId", finding.id());
    result.put("ruleIndex", ruleIndex);
    result.put("level", level(finding.severity(), gate));
    result.putObject("message").put("text",
        "Package: " + finding.pkgName() + "\nInstalled Version: " + finding.installedVersion()
            + "\nVulnerability " + finding.id() + "\nSeverity: " + finding.severity()
            + "\nFixed Version: " + finding.fixedVersion()
            + (finding.primaryUrl().isBlank() ? "" : "\nLink: [" + finding.id() + "](" + finding.primaryUrl() + ")"));
    String path = locationPath(finding, image);
    ObjectNode location = result.putArray("locations").addObject();
    ObjectNode physical = location.putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", uriPath(path));
    physical.putObject("region").put("startLine", 1).put("startColumn", 1).put("endLine", 1).put("endColumn", 1);
    location.putObject("message").put("text", path + ": " + finding.pkgName() + "@" + finding.installedVersion());
    if (gate.ignoredAsUnfixed(finding)) {
      result.putArray("suppressions").addObject()
          .put("kind", "external").put("status", "accepted")
          .put("justification", "ignoreUnfixed: no fixed version is available");
    } else {
      gate.waiverOf(finding).ifPresent(waiver -> result.putArray("suppressions").addObject()
          .put("kind", "external").put("status", "accepted")
          .put("justification", "waiver until " + waiver.expires() + ": " + waiver.reason()));
    }
    return result;
  }

  private static String level(Severity severity, Gate gate) {
    if (gate.blocks(severity)) {
      return "error";
    }
    return severity == Severity.LOW || severity == Severity.UNKNOWN ? "note" : "warning";
  }

  /**
   * The file for language packages (PkgPath, else the result target); for OS packages the image's
   * repository path without the registry host, e.g. {@code hello-service}.
   */
  static String locationPath(Finding finding, ImageReference image) {
    if (!finding.pkgPath().isEmpty()) {
      return finding.pkgPath();
    }
    if ("lang-pkgs".equals(finding.resultClass()) && !finding.target().isEmpty()) {
      return finding.target();
    }
    String repository = image.repository();
    int slash = repository.indexOf('/');
    String first = repository.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    return host ? repository.substring(slash + 1) : repository;
  }

  /**
   * A relative URI reference for a path: bytes outside RFC 3986's unreserved, sub-delims, {@code @}
   * and {@code /} are percent-encoded (also {@code :}, which would read as a scheme).
   */
  static String uriPath(String path) {
    StringBuilder uri = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=@/".indexOf(c) >= 0) {
        uri.append(c);
      } else {
        uri.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return uri.toString();
  }

  private static Optional<String> absoluteUri(String text) {
    try {
      URI uri = new URI(text);
      return uri.isAbsolute() ? Optional.of(text) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
