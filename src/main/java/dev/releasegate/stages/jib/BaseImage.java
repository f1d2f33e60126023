package dev.releasegate.stages.jib;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.StageContext;
import java.util.Objects;

/**
 * The base image resolved to its digest once, so that the image and its provenance name the same base
 * whatever its tag points at meanwhile.
 *
 * @param reference as the pipeline wrote it, with its tag if any
 * @param access the base image's registry, with the release's credentials
 */
record BaseImage(WrittenReference reference, String digest, RegistryAccess access) {

  BaseImage {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(access, "access");
  }

  static BaseImage resolve(StageContext context, WrittenReference reference, RegistrySettings settings) throws InterruptedException {
    RegistryAccess access = RegistryAccess.open(reference.repository(), settings);
    context.progress("resolving base image " + reference);
    String digest = access.digestOf(reference.qualifier()).orElseThrow(() ->
        new EnvironmentException("base image " + reference + " not found in registry " + access.host()));
    return new BaseImage(reference, digest, access);
  }

  /** {@code repository@digest}: the base pinned. */
  String pinned() {
    return reference.repository() + "@" + digest;
  }
}
