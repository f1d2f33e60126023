package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.Json;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.ArtifactStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes one evidence bundle. Every file goes in atomically, and the verdict and the index come last,
 * so a run that stops half way leaves a folder that does not verify, never one that verifies as a
 * success.
 */
public final class EvidenceWriter {
  private final Path root;
  private final EnvelopeSigner signer;

  private EvidenceWriter(Path root, EnvelopeSigner signer) {
    this.root = root;
    this.signer = signer;
  }

  /** Starts a bundle in {@code root}, which must not exist or be an empty folder. */
  public static EvidenceWriter create(Path root, EnvelopeSigner signer) throws IOException {
    if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(root + " exists and is not a folder");
      }
      try (Stream<Path> entries = Files.list(root)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(root + " is not empty");
        }
      }
    }
    Files.createDirectories(root.resolve(EvidenceLayout.STATEMENTS));
    return new EvidenceWriter(root, signer);
  }

  /**
   * Continues a bundle that a resumed run cleaned up: its reused statements and artifacts stay, and
   * the index and verdict were removed, so the folder is not a bundle again until {@link #finish}.
   */
  public static EvidenceWriter resume(Path root, EnvelopeSigner signer) throws IOException {
    if (Files.exists(root.resolve(EvidenceLayout.INDEX)) || Files.exists(root.resolve(Verdict.STATEMENT_PATH))) {
      throw new IOException(root + " still has a verdict; a resumed run removes it first");
    }
    Files.createDirectories(root.resolve(EvidenceLayout.STATEMENTS));
    return new EvidenceWriter(root, signer);
  }

  /** Writes a view derived from the run (the JUnit report) under reports/, to be listed in the record. */
  public Artifact writeReport(String name, byte[] content) throws IOException {
    Path target = root.resolve(EvidenceLayout.REPORTS).resolve(name);
    AtomicFiles.write(target, content);
    return StageArtifacts.describe(root, target);
  }

  /** Records the stages so far, so that a run cut off before its verdict can be resumed. */
  public void writeJournal(ObjectNode journal) throws IOException {
    AtomicFiles.write(root.resolve(EvidenceLayout.JOURNAL), Json.pretty(journal));
  }

  public Path root() {
    return root;
  }

  public ArtifactStore artifacts(String stageName) {
    return new StageArtifacts(root, EvidenceLayout.artifactFolder(stageName));
  }

  /** Every file now under the stage's artifact folder, in path order. */
  public List<Artifact> listArtifacts(String stageName) throws IOException {
    Path folder = root.resolve(EvidenceLayout.artifactFolder(stageName));
    List<Artifact> artifacts = new ArrayList<>();
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return artifacts;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
    for (Path file : files) {
      artifacts.add(StageArtifacts.describe(root, file));
    }
    return artifacts;
  }

  /** Signs {@code statement} and writes it at its position; returns the envelope's path and digest. */
  public SignedFile writeStatement(int position, String stageName, ObjectNode statement) throws IOException {
    return writeEnvelope(EvidenceLayout.statementPath(position, stageName), statement);
  }

  /** Signs the verdict, then writes the signer's key and, last, the index. */
  public void finish(RunRecord run, Instant timeVerified) throws IOException {
    Files.deleteIfExists(root.resolve(EvidenceLayout.JOURNAL));
    SignedFile verdict = writeEnvelope(Verdict.STATEMENT_PATH, Verdict.statement(run, timeVerified));
    EnvelopeSigner.SignerFile signerFile = signer.signerFile();
    AtomicFiles.write(root.resolve(signerFile.name()), signerFile.content().getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(root.resolve(EvidenceLayout.INDEX), Json.pretty(index(run, verdict, signer.keyId(), signerFile.name())));
  }

  static ObjectNode index(RunRecord run, SignedFile verdict, String keyId, String signerFile) {
    ObjectNode index = Json.object();
    index.put("formatVersion", EvidenceLayout.FORMAT_VERSION);
    ObjectNode record = run.toJson();
    for (Iterator<String> names = record.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      index.set(name, record.get(name));
    }
    index.putObject("verdict").put("statement", verdict.path()).put("sha256", verdict.sha256());
    ObjectNode signer = index.putObject("signer").put("keyid", keyId);
    if (signerFile.equals(EvidenceLayout.SIGNER_CERTIFICATE)) {
      // Keyless: each envelope has its Sigstore bundle beside it; the certificate is for information.
      signer.put("mode", "keyless").put("certificate", signerFile);
    } else {
      signer.put("publicKey", signerFile);
    }
    return index;
  }

  private SignedFile writeEnvelope(String relativePath, ObjectNode statement) throws IOException {
    EnvelopeSigner.Signed signed = signer.sign(Dsse.IN_TOTO_PAYLOAD_TYPE, Json.compact(statement));
    if (signed.sigstoreBundle().isPresent()) {
      AtomicFiles.write(root.resolve(EvidenceLayout.sigstoreBundlePath(relativePath)), signed.sigstoreBundle().get().getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = Json.pretty(signed.envelope().toJson());
    AtomicFiles.write(root.resolve(relativePath), bytes);
    return new SignedFile(relativePath, Digests.sha256Hex(bytes), signed.envelope(), signed.sigstoreBundle());
  }

  /**
   * A signed envelope in the bundle.
   *
   * @param path relative to the bundle root
   * @param sha256 hex digest of the file bytes
   * @param envelope what the file holds
   * @param sigstoreBundle keyless: the Sigstore bundle written beside it
   */
  public record SignedFile(String path, String sha256, DsseEnvelope envelope, Optional<String> sigstoreBundle) {}

  private static final class StageArtifacts implements ArtifactStore {
    private final Path root;
    private final String folder;

    StageArtifacts(Path root, String folder) {
      this.root = root;
      this.folder = folder;
    }

    @Override
    public Path directory() throws IOException {
      return Files.createDirectories(root.resolve(folder));
    }

    @Override
    public Artifact write(String name, byte[] content) throws IOException {
      Path target = target(name);
      AtomicFiles.write(target, content);
      return describe(root, target);
    }

    @Override
    public Artifact copy(Path source, String name) throws IOException {
      Path target = target(name);
      AtomicFiles.copy(source, target);
      return describe(root, target);
    }

    @Override
    public Artifact describe(Path file) throws IOException {
      Path absolute = file.toAbsolutePath().normalize();
      if (!absolute.startsWith(directory().toAbsolutePath().normalize())) {
        throw new IOException(file + " is not inside " + folder);
      }
      return describe(root, absolute);
    }

    private Path target(String name) throws IOException {
      Path base = directory().toAbsolutePath().normalize();
      Path target = base.resolve(name).normalize();
      if (name.isEmpty() || !target.startsWith(base) || target.equals(base)) {
        throw new IOException("artifact name must be a relative path inside " + folder + ": " + name);
      }
      return target;
    }

    static Artifact describe(Path root, Path file) throws IOException {
      Path relative = root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
      String path = relative.toString().replace(java.io.File.separatorChar, '/');
      return new Artifact(path, Digests.sha256Hex(file), Files.size(file));
    }
  }
}
