package dev.releasegate.maven;

import dev.releasegate.api.ReleaseRequest;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.ReleasegateException;
import dev.releasegate.spi.BuildOutputs;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Releases the project through its releasegate pipeline, made of what this build compiled and tested:
 * the test stage reads this build's Surefire and Failsafe reports and runs no command, and the image is
 * made of this build's classes and runtime dependencies, so Maven runs once. Run it after {@code verify}
 * ({@code mvn verify releasegate:release}) or bind it to {@code verify} after the test plug-ins.
 *
 * <p>A rejected release fails the build ({@link MojoFailureException}); a release that could not decide
 * or could not start is an error ({@link MojoExecutionException}). Either way the evidence stays.
 */
@Mojo(name = "release", defaultPhase = LifecyclePhase.VERIFY, requiresDependencyResolution = ResolutionScope.RUNTIME,
    requiresProject = true)
public final class ReleaseMojo extends AbstractMojo {
  /** Pipeline file; default: {@code releasegate.yaml} in the project, else the built-in pipeline. */
  @Parameter(property = "releasegate.pipeline")
  private File pipeline;

  /** Image repository, e.g. {@code 127.0.0.1:5000/hello-service}; overrides the pipeline's {@code image.repository}. */
  @Parameter(property = "releasegate.image")
  private String image;

  /** Base image; overrides the pipeline's {@code image.base}. */
  @Parameter(property = "releasegate.base")
  private String base;

  /** Release version: an image tag. */
  @Parameter(property = "releasegate.version", defaultValue = "${project.version}")
  private String version;

  /** Cosign private key that signs the evidence; its password comes from {@code COSIGN_PASSWORD}. */
  @Parameter(property = "releasegate.key")
  private File key;

  /** Sign keylessly with the GitHub Actions OIDC identity instead of a key. */
  @Parameter(property = "releasegate.keyless", defaultValue = "false")
  private boolean keyless;

  /** Evidence folder, new or empty; default: a new folder under {@code target/releasegate/}. */
  @Parameter(property = "releasegate.evidence")
  private File evidence;

  /** Stages to skip; each skip is signed into the evidence. */
  @Parameter(property = "releasegate.skip")
  private List<String> skip = new ArrayList<>();

  /** Rehearse: every gate runs on an image kept beside the evidence; nothing is published, tagged or signed. */
  @Parameter(property = "releasegate.dryRun", defaultValue = "false")
  private boolean dryRun;

  /** Plain HTTP to the registry, for loopback registries. */
  @Parameter(property = "releasegate.insecureRegistry", defaultValue = "false")
  private boolean insecureRegistry;

  /** Release from a work tree with uncommitted or untracked files; recorded in the evidence. */
  @Parameter(property = "releasegate.allowDirty", defaultValue = "false")
  private boolean allowDirty;

  /** Push the evidence of a released run as a referrer of the image; default: the pipeline's {@code attach.evidence}. */
  @Parameter(property = "releasegate.evidenceToRegistry")
  private Boolean evidenceToRegistry;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  /**
   * sigstore-java logs progress at INFO through java.util.logging, to stderr; the goal shows its own, as
   * the command line does. Held here: java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger SIGSTORE_LOG = java.util.logging.Logger.getLogger("dev.sigstore");

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    quietLibraries();
    ReleaseResult result;
    try {
      result = Releasegate.release(request(System.getenv()), new MavenLogDisplay(getLog()));
    } catch (ReleasegateException e) {
      throw new MojoExecutionException("releasegate: " + PomAdvice.message(e), e);
    }
    Outcome.conclude(result, getLog());
  }

  /** The request as the command line builds it, with this build's outputs instead of a build of its own. */
  private ReleaseRequest request(Map<String, String> environment) {
    ReleaseRequest.Builder request = ReleaseRequest.builder(project.getBasedir().toPath())
        .pipelineFile(path(pipeline))
        .imageRepository(image)
        .baseImage(base)
        .version(version)
        .keyFile(path(key))
        .keyless(keyless)
        .evidenceDirectory(path(evidence))
        .insecureRegistry(insecureRegistry)
        .allowDirty(allowDirty)
        .dryRun(dryRun)
        .environment(environment)
        .builtBy(buildOutputs());
    if (evidenceToRegistry != null) {
      request.evidenceToRegistry(evidenceToRegistry);
    }
    skip.stream().map(String::strip).filter(stage -> !stage.isEmpty()).forEach(request::skip);
    return request.build();
  }

  /**
   * What this build tested and the image is made of: its classes and its runtime dependencies in class
   * path order; and when it started, which is where the test stage's reports begin.
   */
  private BuildOutputs buildOutputs() {
    List<Path> runtimeJars = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      boolean runtime = Artifact.SCOPE_COMPILE.equals(artifact.getScope()) || Artifact.SCOPE_RUNTIME.equals(artifact.getScope());
      if (runtime && artifact.getArtifactHandler().isAddedToClasspath() && artifact.getFile() != null) {
        runtimeJars.add(artifact.getFile().toPath());
      }
    }
    Instant started = session.getRequest().getStartTime().toInstant();
    return new BuildOutputs(started, Path.of(project.getBuild().getOutputDirectory()), runtimeJars);
  }

  /**
   * The library prints nothing, but in Maven its dependencies' SLF4J logging reaches the build log (Maven
   * gives plug-ins its own SLF4J): the JSON schema validator that checks SBOMs warns about keywords of
   * CycloneDX's schema it does not know, which says nothing about the release. A level the user set stays.
   */
  private static void quietLibraries() {
    SIGSTORE_LOG.setLevel(java.util.logging.Level.WARNING);
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log.com.networknt", "error");
  }

  private static Path path(File file) {
    return file == null ? null : file.toPath();
  }
}
