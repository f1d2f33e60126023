package dev.releasegate.image;

import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import dev.releasegate.registry.RegistryAccess;
import java.io.InputStream;

/**
 * Where an image's manifest and blobs are read from: its registry, or the OCI image layout a dry run
 * keeps on this machine. Failures are {@link dev.releasegate.base.EnvironmentException}s.
 */
public interface ImageBlobs {
  /** The manifest {@code digest} names, with the digest of the bytes that were read. */
  ManifestAndDigest<ManifestTemplate> manifest(String digest) throws InterruptedException;

  /** A small blob (a config), refused beyond {@code limit} bytes. */
  byte[] readBlob(String digest, long limit) throws InterruptedException;

  /** A blob of any size, to read once; the stream fails rather than end early or differ from its digest. */
  InputStream openBlob(String digest) throws InterruptedException;

  /** Where the blobs come from, for messages: {@code registry HOST} or {@code OCI layout DIR}. */
  String describe();

  static ImageBlobs of(RegistryAccess registry) {
    return new ImageBlobs() {
      @Override
      public ManifestAndDigest<ManifestTemplate> manifest(String digest) throws InterruptedException {
        return registry.manifest(digest);
      }

      @Override
      public byte[] readBlob(String digest, long limit) throws InterruptedException {
        return registry.readBlob(digest, limit);
      }

      @Override
      public InputStream openBlob(String digest) throws InterruptedException {
        return registry.openBlob(digest);
      }

      @Override
      public String describe() {
        return "registry " + registry.host();
      }
    };
  }
}
