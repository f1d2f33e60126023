package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.base.Messages;
import dev.releasegate.spi.Artifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every path the index names is where the layout puts it and stays inside the bundle, and every file in
 * the bundle is named. The signer entry is not signed, so it must say exactly what the trust says: a
 * bundle cannot claim to be keyless (or name another key file) to change how it is verified or to let a
 * file in unsigned.
 */
final class FileLayout {
  private final EvidenceFolder folder;
  private final Problems problems;
  /** Decided by the trust, never by the bundle. */
  private final boolean keyless;

  FileLayout(EvidenceFolder folder, Problems problems, boolean keyless) {
    this.folder = folder;
    this.problems = problems;
    this.keyless = keyless;
  }

  void check(EvidenceIndex index, RunRecord run) {
    Set<String> expected = new HashSet<>();
    expected.add(EvidenceLayout.INDEX);
    expected.add(signerEntry(index.signer()));
    if (keyless) {
      expected.add(EvidenceLayout.sigstoreBundlePath(Verdict.STATEMENT_PATH));
      for (StageEntry stage : run.stages()) {
        stage.statement().filter(path -> path.endsWith(".dsse.json")).ifPresent(path -> expected.add(EvidenceLayout.sigstoreBundlePath(path)));
      }
    }
    String verdictPath = index.verdict().path("statement").asText("");
    if (!Verdict.STATEMENT_PATH.equals(verdictPath)) {
      problems.add(EvidenceLayout.INDEX, "layout", "verdict must be at " + Verdict.STATEMENT_PATH + ", not '" + verdictPath + "'");
    }
    expected.add(Verdict.STATEMENT_PATH);
    for (int i = 0; i < run.stages().size(); i++) {
      StageEntry stage = run.stages().get(i);
      if (stage.statement().isPresent()) {
        String path = stage.statement().get();
        String wanted = statementPath(i + 1, stage.name());
        if (!path.equals(wanted)) {
          problems.add(EvidenceLayout.INDEX, "layout", "stage '" + stage.name() + "' statement must be " + wanted + ", not '" + path + "'");
        }
        folder.requireInside(path, EvidenceLayout.INDEX);
        expected.add(path);
      }
      for (Artifact artifact : stage.artifacts()) {
        if (!artifact.path().startsWith(EvidenceLayout.artifactFolder(stage.name()) + "/")) {
          problems.add(EvidenceLayout.INDEX, "layout", "artifact " + artifact.path() + " is not under " + EvidenceLayout.artifactFolder(stage.name()));
        }
        folder.requireInside(artifact.path(), EvidenceLayout.INDEX);
        expected.add(artifact.path());
      }
    }
    for (Artifact report : run.reports()) {
      folder.requireInside(report.path(), EvidenceLayout.INDEX);
      expected.add(report.path());
    }
    onlyExpectedFiles(expected);
  }

  /** Checks the signer entry against the trust; returns the signer file the bundle must carry. */
  private String signerEntry(JsonNode signer) {
    String signerFile = keyless ? EvidenceLayout.SIGNER_CERTIFICATE : EvidenceLayout.SIGNER_PUBLIC_KEY;
    ObjectNode expected = Json.object().put("keyid", signer.path("keyid").asText(""));
    if (keyless) {
      expected.put("mode", "keyless").put("certificate", signerFile);
    } else {
      expected.put("publicKey", signerFile);
    }
    if (!expected.equals(signer)) {
      problems.add(EvidenceLayout.INDEX, "signer", "the signer entry must be " + new String(Json.compact(expected), StandardCharsets.UTF_8) + " for "
          + (keyless ? "keyless" : "key") + " verification");
    }
    return signerFile;
  }

  private void onlyExpectedFiles(Set<String> expected) {
    try (Stream<Path> walk = Files.walk(folder.root())) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        String relative = folder.relative(path);
        if (Files.isSymbolicLink(path)) {
          problems.add(relative, "layout", "symbolic links are not allowed in a bundle");
        } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !expected.contains(relative)) {
          problems.add(relative, "layout", "file is not part of the signed record");
        } else if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          problems.add(relative, "layout", "not a regular file");
        }
      }
    } catch (IOException e) {
      problems.add(".", "layout", "cannot list the bundle: " + Messages.firstLine(e));
    }
  }

  private static String statementPath(int position, String name) {
    try {
      return EvidenceLayout.statementPath(position, name);
    } catch (IllegalArgumentException e) {
      return "(invalid stage name or position)";
    }
  }
}
