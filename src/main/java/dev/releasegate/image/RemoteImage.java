package dev.releasegate.image;

import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate.ContentDescriptorTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Futures;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An image in a registry (or, in a dry run, in an OCI layout on this machine), read by digest: its manifest (the one the digest names), its config, and
 * its layers, each streamed through a temporary file and checked against the manifest's size and the
 * config's diff_id. jib-core verifies every blob it pulls against its digest, so what is read is
 * exactly the image the digest names, and the config's description of it is proven too.
 *
 * <p>Anything that keeps it from reading the image throws; nothing is ever read "as far as it
 * went". A digest that names an index or a schema 1 manifest is an {@link InvalidInputException};
 * registry failures and images that are not what their manifest says are {@link EnvironmentException}s.
 */
public final class RemoteImage {
  /** An image config is a few KiB; more is not a config to trust. */
  public static final long MAX_CONFIG_BYTES = 8L << 20;
  /**
   * Layers read at the same time: each costs a temporary file and an inflater, so memory stays
   * bounded whatever the image's size, while the largest layers (the base, usually) overlap.
   */
  static final int PARALLEL_LAYERS = 4;

  /** A layer as the manifest lists it: the blob's digest and size. */
  public record Layer(String digest, long size) {}

  private final ImageBlobs blobs;
  private final ImageReference image;
  private final String manifestMediaType;
  private final String configDigest;
  private final ImageConfig config;
  private final List<Layer> layers;

  private RemoteImage(ImageBlobs blobs, ImageReference image, String manifestMediaType, String configDigest, ImageConfig config,
      List<Layer> layers) {
    this.blobs = blobs;
    this.image = image;
    this.manifestMediaType = manifestMediaType;
    this.configDigest = configDigest;
    this.config = config;
    this.layers = List.copyOf(layers);
  }

  /** Reads the manifest and the config from the registry; layers are read by {@link #readLayers}. */
  public static RemoteImage read(RegistryAccess registry, ImageReference image) throws InterruptedException {
    return read(ImageBlobs.of(registry), image);
  }

  /**
   * The image a stage is given ({@link Outputs#IMAGE}): from the OCI layout of a dry run when an
   * earlier stage produced one ({@link Outputs#IMAGE_LAYOUT}), else from its registry.
   */
  public static RemoteImage of(StageContext context, RegistrySettings settings) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    Optional<Path> layout = context.findOutput(Outputs.IMAGE_LAYOUT);
    return read(layout.isPresent() ? OciLayout.open(layout.get()) : ImageBlobs.of(RegistryAccess.open(image.repository(), settings)), image);
  }

  /** Reads the manifest and the config; layers are read by {@link #readLayers}. */
  public static RemoteImage read(ImageBlobs blobs, ImageReference image) throws InterruptedException {
    ManifestAndDigest<ManifestTemplate> pulled = blobs.manifest(image.digest());
    if (!pulled.getDigest().toString().equals(image.digest())) {
      throw new EnvironmentException(blobs.describe() + " answered " + image + " with manifest " + pulled.getDigest());
    }
    if (!(pulled.getManifest() instanceof BuildableManifestTemplate manifest)) {
      throw new InvalidInputException(image + " is not a single image manifest (" + pulled.getManifest().getManifestMediaType()
          + "); releasegate reads OCI and Docker v2.2 image manifests, not indexes or schema 1");
    }
    ContentDescriptorTemplate configDescriptor = manifest.getContainerConfiguration();
    if (configDescriptor == null || configDescriptor.getDigest() == null) {
      throw new EnvironmentException("the manifest of " + image + " names no config");
    }
    String configDigest = configDescriptor.getDigest().toString();
    boolean docker = V22ManifestTemplate.MANIFEST_MEDIA_TYPE.equals(manifest.getManifestMediaType());
    ImageConfig config;
    try {
      config = ImageConfig.parse(blobs.readBlob(configDigest, MAX_CONFIG_BYTES), docker);
    } catch (IOException e) {
      throw new EnvironmentException("the config " + configDigest + " of " + image + " is not a valid image config: " + e.getMessage(), e);
    }
    List<Layer> layers = new ArrayList<>();
    for (ContentDescriptorTemplate layer : manifest.getLayers()) {
      if (layer.getDigest() == null) {
        throw new EnvironmentException("layer " + (layers.size() + 1) + " of the manifest of " + image + " has no digest");
      }
      layers.add(new Layer(layer.getDigest().toString(), layer.getSize()));
    }
    if (layers.size() != config.diffIds().size()) {
      throw new EnvironmentException(image + " has " + layers.size() + " layers but its config lists " + config.diffIds().size() + " diff_ids");
    }
    return new RemoteImage(blobs, image, manifest.getManifestMediaType(), configDigest, config, layers);
  }

  public ImageReference reference() {
    return image;
  }

  public String manifestMediaType() {
    return manifestMediaType;
  }

  public String configDigest() {
    return configDigest;
  }

  public ImageConfig config() {
    return config;
  }

  /** Bottom to top, as the manifest lists them. */
  public List<Layer> layers() {
    return layers;
  }

  /**
   * Reads every layer with its own selector ({@code selectors.get(i)} reads layer i), a few layers at
   * a time, the largest first; the result is in layer order, ready for {@link ImageFiles#merge}.
   *
   * @param progress told "read layer N of M" as layers finish, from the reading threads
   * @throws EnvironmentException for the first layer (in layer order) that cannot be read, is not a
   *     tar or tar.gz archive, or is not what the manifest and config say
   */
  public <T> List<LayerChanges<T>> readLayers(List<? extends FileSelector<? extends T>> selectors, Consumer<String> progress)
      throws InterruptedException {
    if (selectors.size() != layers.size()) {
      throw new IllegalArgumentException(selectors.size() + " selectors for " + layers.size() + " layers");
    }
    if (layers.isEmpty()) {
      return List.of();
    }
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LAYERS, layers.size()), runnable -> {
      Thread thread = new Thread(runnable, "image-layer");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        order.add(i);
      }
      // Largest first: the biggest layer bounds the wall time, so it must not wait for a free thread.
      order.sort(Comparator.comparingLong((Integer i) -> layers.get(i).size()).reversed());
      List<Future<LayerChanges<T>>> futures = new ArrayList<>(Collections.nCopies(layers.size(), null));
      for (int i : order) {
        FileSelector<? extends T> selector = selectors.get(i);
        futures.set(i, pool.submit(() -> {
          LayerChanges<T> changes = readLayer(i, selector);
          progress.accept("read layer " + done.incrementAndGet() + " of " + layers.size());
          return changes;
        }));
      }
      List<LayerChanges<T>> read = new ArrayList<>();
      for (Future<LayerChanges<T>> future : futures) {
        read.add(Futures.await(future, cause -> new EnvironmentException("cannot read a layer of " + image + ": " + cause.getMessage(), cause)));
      }
      return read;
    } finally {
      pool.shutdownNow();
    }
  }

  private <T> LayerChanges<T> readLayer(int index, FileSelector<? extends T> selector) throws InterruptedException {
    Layer layer = layers.get(index);
    String name = "layer " + layer.digest() + " of " + image;
    LayerChanges<T> changes;
    try (InputStream blob = blobs.openBlob(layer.digest())) {
      changes = LayerChanges.read(blob, selector);
    } catch (java.io.InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    } catch (LayerReader.TooLarge e) {
      throw new EnvironmentException(name + " is too large to read: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new EnvironmentException(name + " is not a valid tar.gz: " + e.getMessage(), e);
    }
    LayerSummary summary = changes.summary();
    if (summary.size() != layer.size()) {
      throw new EnvironmentException(name + " has " + summary.size() + " bytes, the manifest says " + layer.size());
    }
    String expected = config.diffIds().get(index);
    if (!summary.diffId().equals(expected)) {
      throw new EnvironmentException(name + " unpacks to " + summary.diffId() + ", but the image config says " + expected);
    }
    return changes;
  }
}
