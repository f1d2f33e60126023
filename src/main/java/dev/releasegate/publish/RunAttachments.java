package dev.releasegate.publish;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.cosign.AttachmentKind;
import dev.releasegate.cosign.CosignLayer;
import dev.releasegate.cosign.CosignManifest;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.DuplicateCheck;
import dev.releasegate.cosign.SigstoreBundles;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.Verdict;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.sign.PublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a released run leaves beside its image after the verdict, so that the registry alone tells what
 * was decided and why: the signed verdict as an attestation ({@code .att}, predicate type
 * {@value Verdict#PREDICATE_TYPE}), and the evidence bundle as an artifact that refers to the image.
 * Both are idempotent, so {@code release --resume} can finish what a failed attempt began.
 */
public final class RunAttachments {
  private RunAttachments() {}

  /**
   * Attaches what is asked for. A registry failure does not throw: it is returned, with what was done
   * before it, so that the caller can say what exists and how to finish.
   *
   * @param bundle the finished bundle of a released run
   */
  public static Attachments attach(
      Path bundle, ImageReference image, List<String> tags, boolean verdict, boolean evidence, RegistrySettings settings,
      Consumer<String> progress) {
    long start = System.nanoTime();
    boolean verdictAttached = false;
    Optional<String> evidenceArtifact = Optional.empty();
    try {
      RegistryAccess registry = RegistryAccess.open(image.repository(), settings);
      if (verdict) {
        progress.accept("attaching the verdict to " + image);
        attachVerdicts(registry, image, bundle);
        verdictAttached = true;
      }
      if (evidence) {
        progress.accept("pushing the evidence as a referrer of " + image);
        evidenceArtifact = Optional.of(EvidenceArtifact.push(registry, image, bundle));
      }
      List<String> moved = movedTags(registry, image, tags, progress);
      return new Attachments(verdictAttached, evidenceArtifact, Optional.empty(), millisSince(start), moved);
    } catch (EnvironmentException | InvalidInputException e) {
      return new Attachments(verdictAttached, evidenceArtifact, Optional.of(e.getMessage()), millisSince(start), List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attachments(verdictAttached, evidenceArtifact, Optional.of("interrupted"), millisSince(start), List.of());
    }
  }

  /**
   * Reads every tag back once the verdict is attached. The push stage read them back too, but a
   * releaser on another machine may have written one since: the registry cannot refuse it, so it is
   * found and said.
   */
  private static List<String> movedTags(RegistryAccess registry, ImageReference image, List<String> tags, Consumer<String> progress)
      throws InterruptedException {
    if (!tags.isEmpty()) {
      progress.accept("reading the tags back: " + String.join(", ", tags));
    }
    List<String> moved = new ArrayList<>();
    for (String tag : tags) {
      Optional<String> now = registry.digestOf(tag);
      if (!now.equals(Optional.of(image.digest()))) {
        moved.add("tag " + image.repository() + ":" + tag + (now.isPresent() ? " now names " + now.get() : " is gone")
            + ", not this release's " + image.digest());
      }
    }
    return moved;
  }

  private static long millisSince(long start) {
    return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /**
   * The verdict goes where the signature is: the legacy tags, Sigstore bundles, or both. cosign v3
   * reads bundles and ignores the legacy tags once it finds any, so an image signed as a bundle by the
   * run's key gets its verdict as a bundle too. A keyless run writes no bundles.
   */
  private static void attachVerdicts(RegistryAccess registry, ImageReference image, Path bundle) throws InterruptedException {
    CosignRegistry cosign = new CosignRegistry(registry);
    Path key = bundle.resolve(EvidenceLayout.SIGNER_PUBLIC_KEY);
    try {
      Optional<SigstoreBundles.Writer> bundles = Optional.empty();
      if (Files.isRegularFile(key)) {
        SigstoreBundles.Writer writer = new SigstoreBundles.Writer(registry, image.digest(), PublicKeys.read(key), Instant.now());
        bundles = writer.signsImage() ? Optional.of(writer) : Optional.empty();
      }
      if (bundles.isEmpty() || cosign.read(AttachmentKind.SIGNATURES, image.digest()).isPresent()) {
        attachVerdict(cosign, image, bundle);
      }
      if (bundles.isPresent()) {
        bundles.get().attach(DsseEnvelope.parse(Files.readAllBytes(bundle.resolve(Verdict.STATEMENT_PATH))), Verdict.PREDICATE_TYPE);
      }
    } catch (IOException e) {
      throw new EnvironmentException("cannot attach the verdict to " + image + ": " + e.getMessage(), e);
    }
  }

  /** Appends the verdict's envelope to the image's {@code .att}, unless it is there, and reads it back. */
  private static void attachVerdict(CosignRegistry cosign, ImageReference image, Path bundle) throws InterruptedException {
    try {
      byte[] envelope = Json.compact(DsseEnvelope.parse(Files.readAllBytes(bundle.resolve(Verdict.STATEMENT_PATH))).toJson());
      Path keyless = bundle.resolve(EvidenceLayout.sigstoreBundlePath(Verdict.STATEMENT_PATH));
      Optional<String> sigstoreBundle = Files.isRegularFile(keyless) ? Optional.of(Files.readString(keyless)) : Optional.empty();
      CosignLayer layer = CosignLayer.attestation(envelope, Verdict.PREDICATE_TYPE, sigstoreBundle);
      Optional<CosignRegistry.Attached> existing = cosign.read(AttachmentKind.ATTESTATIONS, image.digest());
      CosignManifest.Appended appended = existing.map(CosignRegistry.Attached::manifest)
          .orElseGet(() -> CosignManifest.empty(AttachmentKind.ATTESTATIONS))
          .append(layer, DuplicateCheck.identical());
      if (appended.changed()) {
        cosign.write(image.digest(), appended.manifest(), List.of(layer));
      }
      // The registry has no compare-and-set: another writer may have replaced the manifest meanwhile.
      boolean present = cosign.read(AttachmentKind.ATTESTATIONS, image.digest()).stream()
          .flatMap(attached -> attached.layers().stream())
          .anyMatch(found -> found.descriptor().digest().equals(layer.descriptor().digest()));
      if (!present) {
        throw new EnvironmentException("the verdict attestation is not in " + AttachmentKind.ATTESTATIONS.tag(image.digest())
            + " after writing it (another writer replaced it)");
      }
    } catch (IOException e) {
      throw new EnvironmentException("cannot attach the verdict to " + image + ": " + e.getMessage(), e);
    }
  }
}
