package dev.releasegate.cosign;

import dev.releasegate.registry.RegistryAccess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads and writes an image's cosign attachments ({@code .sig}, {@code .att}) in its registry, by
 * exact bytes: the manifest is read raw and parsed strictly, and every layer blob is fetched so that
 * verifiers see what a cosign or containers/image client would.
 */
public final class CosignRegistry {
  /** Signature payloads and DSSE envelopes are small; anything bigger is not ours to trust. */
  private static final long MAX_LAYER_BYTES = 8L * 1024 * 1024;
  private static final int PARALLEL_UPLOADS = 4;

  private final RegistryAccess registry;

  public CosignRegistry(RegistryAccess registry) {
    this.registry = registry;
  }

  /**
   * An attachment as found in the registry.
   *
   * @param manifest the parsed manifest; append to it to add layers
   * @param layers its layers with their blobs, in order
   */
  public record Attached(CosignManifest manifest, List<CosignLayer> layers) {
    public Attached {
      layers = List.copyOf(layers);
    }
  }

  /**
   * The attachment of {@code kind} for the image digest; empty when there is none.
   *
   * @throws IOException when a manifest exists but is not one cosign would write or read
   */
  public Optional<Attached> read(AttachmentKind kind, String imageDigest) throws IOException, InterruptedException {
    Optional<RegistryAccess.ManifestBytes> found = registry.manifestBytes(kind.tag(imageDigest));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    CosignManifest manifest = CosignManifest.parse(kind, found.get().bytes());
    List<CosignLayer> layers = new ArrayList<>();
    for (LayerDescriptor descriptor : manifest.layers()) {
      if (descriptor.size() > MAX_LAYER_BYTES) {
        throw new IOException(kind.tag(imageDigest) + ": layer " + descriptor.digest() + " is " + descriptor.size() + " bytes, more than a signature or attestation needs");
      }
      layers.add(new CosignLayer(descriptor, registry.readBlob(descriptor.digest(), MAX_LAYER_BYTES)));
    }
    return Optional.of(new Attached(manifest, layers));
  }

  /** The Sigstore bundles that refer to the image digest (cosign v3's format), read or with why not. */
  public List<SigstoreBundles.Found> bundles(String imageDigest) throws IOException, InterruptedException {
    return SigstoreBundles.read(registry, imageDigest);
  }

  /**
   * Uploads the new layers' blobs and the config, a few at a time (each upload is three round trips,
   * and a release attaches one envelope per stage), then puts the manifest under the attachment tag,
   * only once every blob is there.
   */
  public void write(String imageDigest, CosignManifest manifest, List<CosignLayer> newLayers) throws InterruptedException {
    List<byte[]> blobs = new ArrayList<>();
    newLayers.forEach(layer -> blobs.add(layer.blob()));
    blobs.add(manifest.configBytes());
    ExecutorService uploads = Executors.newFixedThreadPool(Math.min(PARALLEL_UPLOADS, blobs.size()));
    try {
      List<Future<String>> pending = new ArrayList<>();
      for (byte[] blob : blobs) {
        pending.add(uploads.submit(() -> registry.putBlob(blob)));
      }
      for (Future<String> upload : pending) {
        try {
          upload.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException failure) {
            throw failure;
          }
          if (e.getCause() instanceof InterruptedException interrupted) {
            throw interrupted;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      uploads.shutdownNow();
    }
    registry.putManifest(manifest.manifestBytes(), manifest.mediaType(), manifest.kind().tag(imageDigest));
  }
}
