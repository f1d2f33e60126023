package dev.releasegate.spi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * A file in the evidence bundle that a statement names by digest.
 *
 * @param path relative to the bundle root, with {@code /} separators, e.g. {@code artifacts/test/output.log};
 *     under {@code artifacts/}, or {@code reports/} for the views the runner derives (junit.xml)
 * @param sha256 lowercase hex
 * @param size in bytes
 */
public record Artifact(String path, String sha256, long size) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public Artifact {
    if (!(path.startsWith("artifacts/") || path.startsWith("reports/")) || path.contains("..") || path.contains("\\")) {
      throw new IllegalArgumentException("artifact path must stay under artifacts/ or reports/: " + path);
    }
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
    }
  }

  /** An in-toto ResourceDescriptor naming this file. */
  public ObjectNode descriptor() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("name", path);
    node.putObject("digest").put("sha256", sha256);
    return node;
  }
}
