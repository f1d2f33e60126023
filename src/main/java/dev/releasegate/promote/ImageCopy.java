package dev.releasegate.promote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import dev.releasegate.cosign.AttachmentKind;
import dev.releasegate.cosign.CosignLayer;
import dev.releasegate.cosign.CosignManifest;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.DuplicateCheck;
import dev.releasegate.cosign.SigstoreBundles;
import dev.releasegate.registry.Descriptor;
import dev.releasegate.registry.Referrers;
import dev.releasegate.registry.RegistryAccess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Copies an image by digest from one repository to another, with its cosign signatures and
 * attestations, so that verifying it at the destination needs nothing from the source. Blobs go
 * first and manifests last, so a copy cut off half-way leaves nothing a reader would follow; running
 * it again completes it, and what the destination has is never uploaded twice.
 */
final class ImageCopy {
  /** Single-platform image manifests: what releasegate builds and releases. */
  private static final Set<String> IMAGE_MANIFESTS = Set.of(CosignManifest.OCI_MANIFEST, CosignManifest.DOCKER_MANIFEST);
  /** More layers than any image has: a manifest listing more is not one releasegate built. */
  private static final int MAX_MANIFEST_LAYERS = 1000;

  private ImageCopy() {}

  /** Copies the image manifest {@code digest}, its config and its layers. */
  static void image(RegistryAccess from, RegistryAccess to, String digest) throws InterruptedException {
    RegistryAccess.ManifestBytes manifest = from.manifestBytes(digest)
        .orElseThrow(() -> new EnvironmentException(from.repository() + "@" + digest + " is not in the registry"));
    if (!manifest.digest().equals(digest)) {
      throw new EnvironmentException("registry " + from.host() + " sent manifest " + manifest.digest() + " for " + digest);
    }
    if (!IMAGE_MANIFESTS.contains(manifest.mediaType())) {
      throw new EnvironmentException(from.repository() + "@" + digest + " is a " + manifest.mediaType()
          + "; promote copies single-platform image manifests, as releasegate builds them");
    }
    JsonNode node;
    try {
      node = Json.parse(manifest.bytes());
    } catch (IOException e) {
      throw new EnvironmentException(from.repository() + "@" + digest + ": the manifest is not JSON: " + e.getMessage(), e);
    }
    List<String> blobs = new ArrayList<>();
    blobs.add(node.at("/config/digest").asText());
    JsonNode layers = node.path("layers");
    if (!layers.isArray() || layers.size() > MAX_MANIFEST_LAYERS) {
      throw new EnvironmentException(from.repository() + "@" + digest + ": the manifest's layers are not a list releasegate would write");
    }
    layers.forEach(layer -> blobs.add(layer.path("digest").asText()));
    for (String blob : blobs) {
      to.copyBlob(from, blob);
    }
    to.putManifest(manifest.bytes(), manifest.mediaType(), digest);
  }

  /**
   * Adds the source's signatures and attestations of {@code digest} to the destination's, layer by
   * layer: what the destination already has (an earlier promotion) is kept, and nothing is added twice.
   *
   * @return how many layers were added
   */
  static int attachments(RegistryAccess from, RegistryAccess to, String digest) throws InterruptedException {
    CosignRegistry source = new CosignRegistry(from);
    CosignRegistry destination = new CosignRegistry(to);
    int added = 0;
    for (AttachmentKind kind : AttachmentKind.values()) {
      try {
        Optional<CosignRegistry.Attached> theirs = source.read(kind, digest);
        if (theirs.isEmpty()) {
          continue;
        }
        added += append(destination, kind, digest, theirs.get().layers());
      } catch (IOException e) {
        throw new EnvironmentException(kind.tag(digest) + " of " + from.repository() + ": " + e.getMessage(), e);
      }
    }
    return added;
  }

  /**
   * Copies the source's Sigstore bundles of {@code digest} (cosign v3's signatures and attestations),
   * each as it is: their signatures name the digest, not a repository.
   *
   * @return how many there are
   */
  static int bundles(RegistryAccess from, RegistryAccess to, String digest) throws InterruptedException {
    List<Descriptor> bundles;
    try {
      bundles = new Referrers(from).list(digest, SigstoreBundles.ARTIFACT_TYPE);
    } catch (IOException e) {
      throw new EnvironmentException("the referrers of " + from.repository() + "@" + digest + ": " + e.getMessage(), e);
    }
    Referrers destination = new Referrers(to);
    for (Descriptor bundle : bundles) {
      destination.copy(from, digest, bundle.digest());
    }
    return bundles.size();
  }

  /** Appends {@code layers} to the destination's attachment of {@code kind}, unless each is there already. */
  static int append(CosignRegistry destination, AttachmentKind kind, String digest, List<CosignLayer> layers)
      throws IOException, InterruptedException {
    CosignManifest manifest = destination.read(kind, digest).map(CosignRegistry.Attached::manifest).orElseGet(() -> CosignManifest.empty(kind));
    List<CosignLayer> added = new ArrayList<>();
    for (CosignLayer layer : layers) {
      CosignManifest.Appended appended = manifest.append(layer, DuplicateCheck.identical());
      if (appended.changed()) {
        manifest = appended.manifest();
        added.add(layer);
      }
    }
    if (!added.isEmpty()) {
      destination.write(digest, manifest, added);
    }
    return added.size();
  }
}
