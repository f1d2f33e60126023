package dev.releasegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.Messages;
import dev.releasegate.base.StageStatus;
import dev.releasegate.evidence.BoundedFiles;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.StageEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an evidence bundle says, read for humans: the run record of {@code bundle.json} and the predicate
 * of every stage statement. It verifies nothing; {@code Releasegate.verifyEvidence} does that. It reads
 * tampered and partial bundles as far as it can, so that a report can show what a bad bundle claims,
 * and lists what it could not read in {@link #problems()}.
 *
 * <p>Every value is untrusted input: renderers must escape it.
 *
 * @param root the bundle folder
 * @param status {@code released}, {@code rejected}, {@code failed}, or what the file says
 * @param reason why the run was not released
 * @param signerKeyId the key id {@code bundle.json} names; informational, as the file is
 * @param problems what could not be read, each {@code file: message}
 */
public record EvidenceView(
    Path root,
    Optional<String> runId,
    Optional<String> toolVersion,
    Optional<String> startedAt,
    Git git,
    Optional<String> version,
    Optional<Image> image,
    List<String> tags,
    String status,
    Optional<String> reason,
    Optional<Ci> ci,
    Optional<String> signerKeyId,
    List<StageView> stages,
    List<String> problems) {

  public EvidenceView {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(git, "git");
    Objects.requireNonNull(status, "status");
    tags = List.copyOf(tags);
    stages = List.copyOf(stages);
    problems = List.copyOf(problems);
  }

  /** The git facts of the run; each empty when the file lacks it. */
  public record Git(
      Optional<String> commit,
      Optional<String> shortCommit,
      Optional<String> commitTime,
      Optional<String> source,
      Optional<String> tag,
      List<String> dirtyPaths) {
    public Git {
      dirtyPaths = List.copyOf(dirtyPaths);
    }
  }

  /** The released (or built) image. */
  public record Image(String repository, String digest) {
    @Override
    public String toString() {
      return repository + "@" + digest;
    }
  }

  /** The CI run the release happened in. */
  public record Ci(String system, Optional<String> url, Map<String, String> facts) {
    public Ci {
      facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }
  }

  /**
   * One stage as the bundle records it, with its statement's predicate when it could be read.
   *
   * @param statementSha256 the sha256 of the statement's envelope as the file holds it: what the
   *     verdict's input attestations and the image's attestation layers name it by
   * @param predicate the statement's predicate; empty for a stage without a readable statement
   * @param problem why a statement the stage names could not be read
   */
  public record StageView(StageEntry entry, Optional<String> statementSha256, Optional<JsonNode> predicate, Optional<String> problem) {
    public StageView {
      Objects.requireNonNull(entry, "entry");
    }

    public String name() {
      return entry.name();
    }

    public boolean passed() {
      return entry.status() == StageStatus.PASSED;
    }

    public boolean failed() {
      return entry.status() == StageStatus.FAILED;
    }

    /** Did not decide: skipped with {@code --skip}, not run after a failure, or cancelled by one. */
    public boolean skipped() {
      return entry.status() == StageStatus.SKIPPED || entry.status() == StageStatus.CANCELLED;
    }
  }

  /** The image as {@code repository@digest}, if the run built one. */
  public Optional<String> imageReference() {
    return image.map(Image::toString);
  }

  /**
   * Reads {@code bundle}.
   *
   * @throws InvalidInputException when the folder is not an evidence bundle at all: no folder, no
   *     {@code bundle.json}, or one that is not a JSON object
   */
  public static EvidenceView read(Path bundle) {
    if (!Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(bundle + " is not a folder; pass the evidence bundle folder");
    }
    Path index = bundle.resolve(EvidenceLayout.INDEX);
    if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException(bundle + " is not an evidence bundle: it has no " + EvidenceLayout.INDEX);
    }
    JsonNode node;
    try {
      node = Json.parse(BoundedFiles.read(index, EvidenceLayout.MAX_INDEX_BYTES));
    } catch (BoundedFiles.TooLargeException e) {
      throw new InvalidInputException(e.getMessage());
    } catch (IOException e) {
      throw new InvalidInputException(bundle + " is not an evidence bundle: " + EvidenceLayout.INDEX + " is not valid JSON ("
          + Messages.firstLine(e) + ")");
    }
    if (!node.isObject()) {
      throw new InvalidInputException(bundle + " is not an evidence bundle: " + EvidenceLayout.INDEX + " is not an object");
    }
    return of(bundle, node);
  }

  /**
   * A view of a run record that is not written yet, with the statements already in {@code bundle}: the
   * runner makes the JUnit report from it before the verdict, so that the report is signed too.
   */
  public static EvidenceView of(Path bundle, JsonNode node) {
    List<String> problems = new ArrayList<>();
    List<StageView> stages = new ArrayList<>();
    if (node.path("stages").isArray()) {
      for (int i = 0; i < node.path("stages").size(); i++) {
        stage(bundle, i + 1, node.path("stages").get(i), problems).ifPresent(stages::add);
      }
    } else {
      problems.add(EvidenceLayout.INDEX + ": no stages");
    }
    JsonNode image = node.path("image");
    return new EvidenceView(
        bundle,
        Json.text(node, "runId"),
        Json.text(node.path("tool"), "version"),
        Json.text(node, "startedAt"),
        git(node.path("git")),
        Json.text(node, "version"),
        Json.text(image, "repository").flatMap(repository -> Json.text(image, "digest").map(digest -> new Image(repository, digest))),
        Json.texts(node.path("tags")),
        Json.text(node, "status").orElse("unknown"),
        Json.text(node, "reason"),
        ci(node.path("ci")),
        Json.text(node.path("signer"), "keyid"),
        stages,
        problems);
  }

  /** The stage recorded in {@code node}; a row that is not a stage entry is one of the bundle's problems. */
  private static Optional<StageView> stage(Path bundle, int position, JsonNode node, List<String> problems) {
    StageEntry entry;
    try {
      entry = StageEntry.fromJson(node);
    } catch (IOException e) {
      problems.add(EvidenceLayout.INDEX + ": stage " + position + " is unreadable: " + Messages.firstLine(e));
      return Optional.empty();
    }
    Optional<String> sha256 = Optional.empty();
    Optional<JsonNode> predicate = Optional.empty();
    Optional<String> problem = Optional.empty();
    if (entry.statement().isPresent()) {
      try {
        byte[] envelope = envelope(bundle, entry.statement().get());
        sha256 = Optional.of(Digests.sha256Hex(envelope));
        predicate = Optional.of(predicate(envelope));
      } catch (IOException e) {
        problem = Optional.of(entry.statement().get() + ": " + Messages.firstLine(e));
        problems.add(problem.get());
      }
    }
    return Optional.of(new StageView(entry, sha256, predicate, problem));
  }

  /** The envelope file at {@code relative}, read without trusting the path or the signature. */
  private static byte[] envelope(Path bundle, String relative) throws IOException {
    Path file = inside(bundle, relative);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("missing");
    }
    return BoundedFiles.read(file, EvidenceLayout.MAX_STATEMENT_BYTES);
  }

  private static JsonNode predicate(byte[] envelope) throws IOException {
    JsonNode statement = Json.parse(DsseEnvelope.parse(envelope).payload());
    JsonNode predicate = statement.path("predicate");
    if (!predicate.isObject()) {
      throw new IOException("the statement has no predicate object");
    }
    return predicate;
  }

  /**
   * Resolves a path the index names, refusing one that could leave the bundle ({@code ..}, absolute,
   * a symbolic link on the way): a report must never show a file from elsewhere on the machine.
   */
  static Path inside(Path bundle, String relative) throws IOException {
    if (relative.isEmpty() || relative.startsWith("/") || relative.contains("\\") || relative.contains("\0")) {
      throw new IOException("path leaves the bundle");
    }
    Path current = bundle;
    for (String part : relative.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IOException("path leaves the bundle");
      }
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        throw new IOException("path passes through a symbolic link");
      }
    }
    return current;
  }

  private static Git git(JsonNode node) {
    return new Git(
        Json.text(node, "commit"),
        Json.text(node, "shortCommit"),
        Json.text(node, "commitTime"),
        Json.text(node, "source"),
        Json.text(node, "tag"),
        Json.texts(node.path("dirtyPaths")));
  }

  private static Optional<Ci> ci(JsonNode node) {
    Optional<String> system = Json.text(node, "system");
    if (system.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> facts = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("facts").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> fact = it.next();
      if (fact.getValue().isValueNode()) {
        facts.put(fact.getKey(), fact.getValue().asText());
      }
    }
    return Optional.of(new Ci(system.get(), Json.text(node, "url"), facts));
  }
}
