package dev.releasegate.api;

import dev.releasegate.base.InvalidInputException;
import dev.releasegate.spi.BuildOutputs;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to release and how. Immutable; build one with {@link #builder(Path)}.
 *
 * <p>The environment is passed in rather than read from the process, so that an embedding (a Jenkins
 * plug-in, a test) decides what the release sees. The key password is read from {@code COSIGN_PASSWORD}
 * in that environment unless {@link Builder#keyPassword} gives it.
 */
public final class ReleaseRequest {
  private final Path projectDirectory;
  private final Optional<Path> pipelineFile;
  private final Optional<String> imageRepository;
  private final Optional<String> baseImage;
  private final Optional<String> version;
  private final Optional<Path> keyFile;
  private final Optional<char[]> keyPassword;
  private final Optional<Path> evidenceDirectory;
  private final Set<String> skip;
  private final boolean insecureRegistry;
  private final boolean allowDirty;
  private final boolean resume;
  private final boolean keyless;
  private final boolean dryRun;
  private final Optional<Boolean> evidenceToRegistry;
  private final Map<String, String> environment;
  private final Optional<BuildOutputs> build;

  private ReleaseRequest(Builder builder) {
    this.projectDirectory = builder.projectDirectory;
    this.pipelineFile = Optional.ofNullable(builder.pipelineFile);
    this.imageRepository = Optional.ofNullable(builder.imageRepository);
    this.baseImage = Optional.ofNullable(builder.baseImage);
    this.version = Optional.ofNullable(builder.version);
    this.keyFile = Optional.ofNullable(builder.keyFile);
    this.keyPassword = Optional.ofNullable(builder.keyPassword).map(char[]::clone);
    this.evidenceDirectory = Optional.ofNullable(builder.evidenceDirectory);
    this.skip = Set.copyOf(builder.skip);
    this.insecureRegistry = builder.insecureRegistry;
    this.allowDirty = builder.allowDirty;
    this.resume = builder.resume;
    this.keyless = builder.keyless;
    this.dryRun = builder.dryRun;
    this.evidenceToRegistry = Optional.ofNullable(builder.evidenceToRegistry);
    this.environment = Map.copyOf(builder.environment);
    this.build = Optional.ofNullable(builder.build);
  }

  public static Builder builder(Path projectDirectory) {
    return new Builder(projectDirectory);
  }

  public Path projectDirectory() {
    return projectDirectory;
  }

  public Optional<Path> pipelineFile() {
    return pipelineFile;
  }

  public Optional<String> imageRepository() {
    return imageRepository;
  }

  public Optional<String> baseImage() {
    return baseImage;
  }

  public Optional<String> version() {
    return version;
  }

  public Optional<Path> keyFile() {
    return keyFile;
  }

  public Optional<char[]> keyPassword() {
    return keyPassword.map(char[]::clone);
  }

  public Optional<Path> evidenceDirectory() {
    return evidenceDirectory;
  }

  public Set<String> skip() {
    return skip;
  }

  public boolean insecureRegistry() {
    return insecureRegistry;
  }

  public boolean allowDirty() {
    return allowDirty;
  }

  /** Sign keylessly with the CI's OIDC identity (GitHub Actions) instead of a key file. */
  public boolean keyless() {
    return keyless;
  }

  /** Continue the earlier run in the evidence folder (default: the newest under target/releasegate). */
  public boolean resume() {
    return resume;
  }

  /**
   * A rehearsal: the image is built into an OCI layout beside the evidence instead of the registry, the
   * gates run against it, publishers do not run, and the evidence is signed with a key of the run's
   * own, not the release key; the run is never released.
   */
  public boolean dryRun() {
    return dryRun;
  }

  /** Whether to push the evidence as a referrer of the released image; default: the pipeline's {@code attach.evidence}. */
  public Optional<Boolean> evidenceToRegistry() {
    return evidenceToRegistry;
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** What the build that runs this release (the Maven plug-in) already built and tested, if it did. */
  public Optional<BuildOutputs> build() {
    return build;
  }

  /** Accumulates a request. */
  public static final class Builder {
    private final Path projectDirectory;
    private Path pipelineFile;
    private String imageRepository;
    private String baseImage;
    private String version;
    private Path keyFile;
    private char[] keyPassword;
    private Path evidenceDirectory;
    private final Set<String> skip = new LinkedHashSet<>();
    private boolean insecureRegistry;
    private boolean allowDirty;
    private boolean resume;
    private boolean keyless;
    private boolean dryRun;
    private Boolean evidenceToRegistry;
    private Map<String, String> environment = System.getenv();
    private BuildOutputs build;

    private Builder(Path projectDirectory) {
      this.projectDirectory = Objects.requireNonNull(projectDirectory, "projectDirectory");
    }

    public Builder pipelineFile(Path file) {
      this.pipelineFile = file;
      return this;
    }

    public Builder imageRepository(String repository) {
      this.imageRepository = repository;
      return this;
    }

    public Builder baseImage(String reference) {
      this.baseImage = reference;
      return this;
    }

    public Builder version(String version) {
      this.version = version;
      return this;
    }

    /** The cosign private key that signs the evidence (and, with the sign stage, the image). */
    public Builder keyFile(Path keyFile) {
      this.keyFile = keyFile;
      return this;
    }

    public Builder keyPassword(char[] password) {
      this.keyPassword = password == null ? null : password.clone();
      return this;
    }

    public Builder evidenceDirectory(Path directory) {
      this.evidenceDirectory = directory;
      return this;
    }

    public Builder skip(String stageName) {
      skip.add(Objects.requireNonNull(stageName));
      return this;
    }

    public Builder insecureRegistry(boolean insecure) {
      this.insecureRegistry = insecure;
      return this;
    }

    public Builder allowDirty(boolean allowDirty) {
      this.allowDirty = allowDirty;
      return this;
    }

    public Builder keyless(boolean keyless) {
      this.keyless = keyless;
      return this;
    }

    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    public Builder evidenceToRegistry(boolean push) {
      this.evidenceToRegistry = push;
      return this;
    }

    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment);
      return this;
    }

    /**
     * The project was built and its tests run by the build that runs this release (the Maven plug-in): the
     * test stage reads that build's reports and the image is made of what it wrote; nothing is built again.
     */
    public Builder builtBy(BuildOutputs build) {
      this.build = Objects.requireNonNull(build, "build").ofTheCaller();
      return this;
    }

    /**
     * The request, once its options agree with each other.
     *
     * @throws InvalidInputException for a key file with keyless signing, or a dry run that resumes
     */
    public ReleaseRequest build() {
      if (keyless && keyFile != null) {
        throw new InvalidInputException("sign with a key file or keylessly, not both");
      }
      if (dryRun && resume) {
        throw new InvalidInputException("a dry run starts afresh: it cannot resume an earlier run");
      }
      return new ReleaseRequest(this);
    }
  }
}
