package dev.releasegate.api;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.publish.EvidenceArtifact;
import dev.releasegate.registry.Descriptor;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The evidence bundles attached to an image as OCI referrers: fetched to be verified as folders, and only about that image. */
final class AttachedEvidence {
  private AttachedEvidence() {}

  /**
   * Downloads the evidence bundles attached to {@code reference} ({@code repository@sha256:…}), each into a
   * folder of its own.
   *
   * @throws InvalidInputException for a reference without digest
   * @throws EnvironmentException when the registry cannot be reached
   */
  static RemoteEvidence fetch(String reference, boolean insecureRegistry, Map<String, String> environment, Consumer<String> log) {
    WrittenReference ref = ImageVerifier.pinned(reference);
    RegistryAccess registry = RegistryAccess.open(ref.repository(), new RegistrySettings(insecureRegistry, environment, log));
    Path folder;
    try {
      folder = Files.createTempDirectory("releasegate-evidence");
    } catch (IOException e) {
      throw new EnvironmentException("cannot create a temporary folder for the evidence: " + e.getMessage(), e);
    }
    List<RemoteEvidence.Bundle> bundles = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    try {
      List<Descriptor> artifacts = EvidenceArtifact.list(registry, ref.digest().get());
      for (Descriptor artifact : artifacts) {
        try {
          bundles.add(new RemoteEvidence.Bundle(artifact.digest(), EvidenceArtifact.fetch(registry, artifact, folder)));
        } catch (IOException e) {
          unreadable.add(e.getMessage());
        }
      }
    } catch (IOException e) {
      unreadable.add(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while fetching the evidence of " + reference, e);
    }
    return new RemoteEvidence(ref.repository() + "@" + ref.digest().get(), ref.digest().get(), folder, bundles, unreadable);
  }

  /**
   * {@code report} with one more problem when its bundle is about another image than {@code digest}: an
   * authentic bundle found beside an image proves nothing about it unless it names that very digest.
   */
  static EvidenceReport requireImage(EvidenceReport report, String digest) {
    boolean about = report.image().map(image -> image.endsWith("@" + digest)).orElse(false);
    if (about) {
      return report;
    }
    List<String> problems = new ArrayList<>(report.problems());
    problems.add(EvidenceLayout.INDEX + ": subject: the evidence is about " + report.image().orElse("no image") + ", not " + digest);
    return new EvidenceReport(report.bundle(), report.status(), report.reason(), report.image(), report.commit(), problems, report.policyViolations());
  }
}
