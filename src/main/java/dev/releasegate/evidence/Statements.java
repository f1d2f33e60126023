package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.List;

/** in-toto Statement v1: subjects, a predicate type and a predicate. */
public final class Statements {
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
  /**
   * The predicate of a stage that could not decide, or was stopped before it did: {@code stage},
   * {@code type}, {@code status} (failed or cancelled), {@code failure} (for failed) and {@code message}.
   */
  public static final String STAGE_ERROR_PREDICATE = "https://releasegate.dev/stage-error/v1";

  private Statements() {}

  public static ObjectNode statement(List<ObjectNode> subjects, String predicateType, ObjectNode predicate) {
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException("a statement needs a subject");
    }
    ObjectNode statement = Json.object();
    statement.put("_type", STATEMENT_TYPE);
    statement.putArray("subject").addAll(subjects);
    statement.put("predicateType", predicateType);
    statement.set("predicate", predicate);
    return statement;
  }

  /** A ResourceDescriptor with one digest. */
  public static ObjectNode subject(String name, String algorithm, String value) {
    ObjectNode subject = Json.object();
    subject.put("name", name);
    subject.putObject("digest").put(algorithm, value);
    return subject;
  }

  /** Reads a statement and checks its shape; the message says what is wrong. */
  public static ObjectNode parse(byte[] payload) throws IOException {
    JsonNode node = Json.parse(payload);
    if (!node.isObject()) {
      throw new IOException("statement is not a JSON object");
    }
    if (!STATEMENT_TYPE.equals(node.path("_type").asText(null))) {
      throw new IOException("statement _type is not " + STATEMENT_TYPE);
    }
    JsonNode subjects = node.get("subject");
    if (subjects == null || !subjects.isArray() || subjects.isEmpty()) {
      throw new IOException("statement has no subject");
    }
    for (JsonNode subject : subjects) {
      if (!subject.path("digest").isObject() || subject.path("digest").isEmpty()) {
        throw new IOException("statement subject without digest");
      }
    }
    if (!node.path("predicateType").isTextual()) {
      throw new IOException("statement has no predicateType");
    }
    if (!node.path("predicate").isObject()) {
      throw new IOException("statement predicate is not an object");
    }
    return (ObjectNode) node;
  }
}
