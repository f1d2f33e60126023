package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;

/**
 * One vulnerability in one package of one Trivy result. Absent optional fields are empty strings.
 *
 * @param target the result's Target, e.g. {@code "img (debian 10.1)"} or {@code "Java"}
 * @param resultClass the result's Class, e.g. {@code os-pkgs} or {@code lang-pkgs}
 * @param pkgPath where a language package lives in the image, e.g. the jar
 */
record Finding(
    String id,
    Severity severity,
    String pkgName,
    String installedVersion,
    String fixedVersion,
    String status,
    String target,
    String resultClass,
    String resultType,
    String pkgPath,
    String title,
    String description,
    String primaryUrl) {

  /**
   * No fix to upgrade to: no fixed version, or a status other than {@code fixed} ({@code affected},
   * {@code will_not_fix}, {@code fix_deferred}, {@code end_of_life}, …).
   */
  boolean unfixed() {
    return fixedVersion.isBlank() || !(status.isEmpty() || status.equals("fixed"));
  }

  /** The jar (or other file) for language packages, else the result's target. */
  String location() {
    return pkgPath.isEmpty() ? target : pkgPath;
  }

  /** One line for a reader: id, severity, package, versions, where. */
  String describe() {
    return id + " " + severity + " " + pkgName + " " + installedVersion
        + (fixedVersion.isBlank() ? " (no fix)" : " (fixed in " + fixedVersion + ")")
        + " in " + location();
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("id", id);
    node.put("severity", severity.name());
    node.put("package", pkgName);
    node.put("installedVersion", installedVersion);
    if (!fixedVersion.isEmpty()) {
      node.put("fixedVersion", fixedVersion);
    }
    if (!status.isEmpty()) {
      node.put("status", status);
    }
    node.put("target", target);
    node.put("class", resultClass);
    if (!pkgPath.isEmpty()) {
      node.put("pkgPath", pkgPath);
    }
    return node;
  }
}
