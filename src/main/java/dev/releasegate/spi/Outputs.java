package dev.releasegate.spi;

import dev.releasegate.base.ImageReference;
import java.nio.file.Path;
import java.util.List;

/** The outputs built-in stages hand to each other. Plug-ins may define their own keys. */
public final class Outputs {
  /** The built image, pinned by digest, available in the registry before any tag exists. */
  public static final OutputKey<ImageReference> IMAGE = OutputKey.of("image", ImageReference.class, OutputCodec.image());

  /**
   * In a dry run only: the image of {@link #IMAGE} as an OCI image layout folder on this machine
   * (index.json names its manifest), because the registry does not have it.
   */
  public static final OutputKey<Path> IMAGE_LAYOUT = OutputKey.of("image-layout", Path.class);

  /** The SBOM file of the image (CycloneDX JSON), for stages that scan or attest it. */
  public static final OutputKey<Path> SBOM = OutputKey.of("sbom", Path.class, OutputCodec.file());

  /**
   * The classes and runtime jars a build of this run wrote, for the image: from the test stage when it
   * ran the whole build, or from the build that runs releasegate (the Maven plug-in).
   */
  public static final OutputKey<BuildOutputs> BUILD = OutputKey.of("build", BuildOutputs.class);

  /** The tags the push stage wrote. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final OutputKey<List<String>> TAGS = OutputKey.of("tags", (Class) List.class, OutputCodec.strings());

  private Outputs() {}
}
