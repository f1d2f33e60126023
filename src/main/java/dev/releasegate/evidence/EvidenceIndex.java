package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The evidence bundle's index, {@code bundle.json}: the run record, the verdict's path and digest, and the
 * signer entry. A folder without a readable index of this format is no evidence bundle at all; an index
 * that is read but wrong is a problem of the bundle.
 */
final class EvidenceIndex {
  private final ObjectNode json;
  /** Whether the file is byte for byte what releasegate writes for its content. */
  private final boolean canonical;

  private EvidenceIndex(ObjectNode json, boolean canonical) {
    this.json = json;
    this.canonical = canonical;
  }

  /**
   * Reads the index of {@code bundle}.
   *
   * @throws InvalidInputException when the folder is not an evidence bundle of the format read here
   */
  static EvidenceIndex read(Path bundle) {
    if (!Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(bundle + " is not a folder; pass the evidence bundle folder");
    }
    Path file = bundle.resolve(EvidenceLayout.INDEX);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(bundle + " is not an evidence bundle: it has no " + EvidenceLayout.INDEX);
    }
    byte[] bytes;
    JsonNode node;
    try {
      bytes = BoundedFiles.read(file, EvidenceLayout.MAX_INDEX_BYTES);
      node = Json.parse(bytes);
    } catch (BoundedFiles.TooLargeException e) {
      throw new InvalidInputException(e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException(
          bundle + " is not an evidence bundle: " + EvidenceLayout.INDEX + " is not valid JSON (" + Messages.firstLine(e) + ")");
    }
    if (!node.isObject()) {
      throw new InvalidInputException(bundle + " is not an evidence bundle: " + EvidenceLayout.INDEX + " is not an object");
    }
    JsonNode version = node.get("formatVersion");
    if (version == null || !version.isInt() || version.intValue() != EvidenceLayout.FORMAT_VERSION) {
      throw new InvalidInputException(
          bundle + ": unsupported evidence format " + version + "; this releasegate reads format "
              + EvidenceLayout.FORMAT_VERSION);
    }
    return new EvidenceIndex((ObjectNode) node, Arrays.equals(bytes, Json.pretty(node)));
  }

  /** The run record the index holds; empty, with the problem noted, when it is malformed. */
  Optional<RunRecord> run(Problems problems) {
    if (!canonical) {
      problems.add(EvidenceLayout.INDEX, "canonical form", "the file is not in the form releasegate writes (edited?)");
    }
    try {
      return Optional.of(RunRecord.fromJson(runPart()));
    } catch (IOException e) {
      problems.add(EvidenceLayout.INDEX, "structure", Messages.firstLine(e));
      return Optional.empty();
    }
  }

  /** The run record as JSON, as the verdict signs it. */
  ObjectNode runPart() {
    return runPart(json);
  }

  /** The signer entry; unsigned, so it is checked against the trust, never believed. */
  JsonNode signer() {
    return json.path("signer");
  }

  /** The verdict entry: where the verdict's envelope is, and its digest. */
  JsonNode verdict() {
    return json.path("verdict");
  }

  /** The index without the fields that only the index has: the run record the verdict signs. */
  static ObjectNode runPart(ObjectNode index) {
    ObjectNode run = index.deepCopy();
    run.remove(List.of("formatVersion", "verdict", "signer"));
    return run;
  }
}
