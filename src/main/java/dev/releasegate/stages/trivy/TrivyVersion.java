package dev.releasegate.stages.trivy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.base.Messages;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What {@code trivy --version --format json} says: the scanner version and, once a DB has been
 * downloaded, the vulnerability DB's schema version and timestamps.
 *
 * @param db empty when trivy reports no DB metadata
 */
record TrivyVersion(String version, Optional<Db> db) {

  /** Trivy's {@code VulnerabilityDB} metadata. */
  record Db(long schemaVersion, Instant updatedAt, String nextUpdate, String downloadedAt) {}

  static TrivyVersion parse(byte[] output) throws IOException {
    JsonNode root;
    try {
      root = Json.parse(output);
    } catch (IOException e) {
      throw new IOException("not valid JSON: " + Messages.firstLine(e.getMessage()), e);
    }
    JsonNode version = root.get("Version");
    if (!root.isObject() || version == null || !version.isTextual() || version.textValue().isBlank()) {
      throw new IOException("no Version");
    }
    JsonNode db = root.get("VulnerabilityDB");
    if (db == null || db.isNull()) {
      return new TrivyVersion(version.textValue(), Optional.empty());
    }
    JsonNode schema = db.get("Version");
    JsonNode updatedAt = db.get("UpdatedAt");
    if (!db.isObject() || schema == null || !schema.isIntegralNumber() || updatedAt == null || !updatedAt.isTextual()) {
      throw new IOException("VulnerabilityDB needs an integer Version and an UpdatedAt time");
    }
    Instant updated;
    try {
      updated = OffsetDateTime.parse(updatedAt.textValue()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IOException("VulnerabilityDB.UpdatedAt '" + updatedAt.textValue() + "' is not an RFC 3339 time", e);
    }
    return new TrivyVersion(version.textValue(),
        Optional.of(new Db(schema.longValue(), updated, db.path("NextUpdate").asText(""), db.path("DownloadedAt").asText(""))));
  }
}
