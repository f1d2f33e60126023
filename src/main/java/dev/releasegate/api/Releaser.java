package dev.releasegate.api;

import dev.releasegate.api.run.ReleaseEvent;
import dev.releasegate.api.run.ReleaseListener;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Futures;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.Remedy;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.evidence.EnvelopeSigner;
import dev.releasegate.evidence.KeyEnvelopeVerifier;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.git.GitFactsReader;
import dev.releasegate.pipeline.OutputFlow;
import dev.releasegate.pipeline.Pipeline;
import dev.releasegate.pipeline.PipelineLoader;
import dev.releasegate.pipeline.PipelineRunner;
import dev.releasegate.pipeline.Resumption;
import dev.releasegate.pipeline.StageDeclaration;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.process.Sandbox;
import dev.releasegate.publish.Attachments;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * One release: refuses a request that cannot run before anything does (pipeline, skips, image, work
 * tree, version, signer), decides whether it resumes an earlier run, then hands it to the runner.
 */
final class Releaser {
  /** Versions become image tags, so they must be valid tags. */
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final DateTimeFormatter FOLDER_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final ReleaseRequest request;
  private final ReleaseListener listener;
  private final Clock clock;

  Releaser(ReleaseRequest request, ReleaseListener listener, Clock clock) {
    this.request = request;
    this.listener = listener;
    this.clock = clock;
  }

  ReleaseResult run() {
    Path project = request.projectDirectory().toAbsolutePath().normalize();
    if (!Files.isDirectory(project)) {
      throw new InvalidInputException("project folder " + project + " does not exist");
    }
    // Stretching the key's password (scrypt) takes about a third of a second: it runs while the pipeline
    // and the work tree are read, and its failure is still said after theirs.
    Future<EnvelopeSigner> signing = Futures.begin("releasegate-signer", () -> Signers.of(request));
    Pipeline loaded = PipelineLoader.load(request.pipelineFile(), project, StageTypes.load());
    Pipeline pipeline = request.evidenceToRegistry()
        .map(push -> loaded.withAttach(new Pipeline.Attach(loaded.attach().verdict(), push)))
        .orElse(loaded);
    checkSkips(pipeline);
    ImageSettings image = imageSettings(pipeline);
    GitFacts git = GitFactsReader.read(project);
    checkWorkTree(git);
    String version = version(git);
    EnvelopeSigner signer = joined(signing);
    Path fresh = project.resolve("target/releasegate/" + FOLDER_TIME.format(clock.instant()) + "-" + git.shortCommit());
    Path evidence = request.evidenceDirectory().map(path -> path.toAbsolutePath().normalize()).orElse(fresh);

    Optional<Resumption> resumption = Optional.empty();
    if (request.resume()) {
      Path earlier = request.evidenceDirectory().map(path -> path.toAbsolutePath().normalize())
          .or(() -> Resumption.latest(project))
          .orElseThrow(() -> new InvalidInputException("nothing to resume: no evidence folder given and none under " + project.resolve("target/releasegate"),
              Remedy.NAME_RESUMED_RUN));
      Resumption.Plan plan = Resumption.plan(earlier, new KeyEnvelopeVerifier(signer.signer().publicKey()), pipeline, git, version,
          () -> currentBaseDigest(image));
      if (plan instanceof Resumption.Plan.AlreadyReleased released) {
        return attachAgain(earlier, released.run(), pipeline, image, git);
      } else if (plan instanceof Resumption.Plan.StartOver startOver) {
        if (request.evidenceDirectory().isPresent()) {
          throw new InvalidInputException("cannot resume " + earlier + ": " + startOver.why(), Remedy.START_AFRESH);
        }
        listener.on(new ReleaseEvent.Notice("starting over in " + fresh + ": " + startOver.why()));
        evidence = fresh;
      } else {
        resumption = Optional.of(((Resumption.Plan.Resume) plan).resumption());
        evidence = earlier;
        try {
          Resumption.clearFrom(evidence, resumption.get(), pipeline);
        } catch (IOException e) {
          throw new EnvironmentException("cannot prepare " + evidence + " for the resumed run: " + e.getMessage(), e);
        }
      }
    }

    Optional<Path> imageLayout = Optional.empty();
    if (request.dryRun()) {
      imageLayout = Optional.of(Releasegate.imageLayoutBeside(evidence));
      if (Files.exists(imageLayout.get(), LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(imageLayout.get() + " exists; a dry run writes its image there", Remedy.NEW_EVIDENCE_FOLDER);
      }
    }
    PipelineRunner.Setup setup =
        new PipelineRunner.Setup(
            pipeline, project, git, version, image, request.allowDirty(), request.skip(), request.environment(),
            signer, evidence, clock, resumption, hiddenFromCommands(), imageLayout, request.build());
    return PipelineRunner.create(setup, listener).run();
  }

  /** An earlier run that released: nothing runs again, only its attachments to the image are checked. */
  private ReleaseResult attachAgain(Path earlier, RunRecord run, Pipeline pipeline, ImageSettings image, GitFacts git) {
    listener.on(new ReleaseEvent.Notice(earlier + " already released " + run.image().map(Object::toString).orElse(git.commit())
        + " (verified again); nothing to run" + (PipelineRunner.publishes(run.stages()) ? ", only its attachments to the image are checked" : "")));
    List<RegistryWrite> writes = new ArrayList<>();
    Optional<Attachments> attachments = run.image().filter(built -> PipelineRunner.publishes(run.stages())).map(built ->
        PipelineRunner.attach(earlier, built, run.tags(), pipeline.attach(), image.insecureRegistry(), request.environment(), listener, writes::add));
    ReleaseResult result = resultOf(run, earlier, writes, attachments);
    listener.on(new ReleaseEvent.RunFinished(result));
    return result;
  }

  /** The result of an earlier, released run, as if it had just happened. */
  private static ReleaseResult resultOf(RunRecord run, Path evidence, List<RegistryWrite> writes, Optional<Attachments> attachments) {
    return new ReleaseResult(run.status(), run.image().map(ImageReference::repository), run.image().map(ImageReference::digest),
        run.tags(), evidence, run.stages(), writes, attachments);
  }


  /** The signer, or the very exception {@link Signers#of} threw. */
  private static EnvelopeSigner joined(Future<EnvelopeSigner> signing) {
    try {
      return Futures.await(signing, IllegalStateException::new);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while reading the signing key", e);
    }
  }

  private void checkWorkTree(GitFacts git) {
    if (git.dirty() && !request.allowDirty()) {
      List<String> paths = git.dirtyPaths();
      String shown = String.join(", ", paths.subList(0, Math.min(5, paths.size())))
          + (paths.size() > 5 ? " and " + (paths.size() - 5) + " more" : "");
      throw new InvalidInputException("the work tree has uncommitted changes (" + shown + ")", Remedy.ALLOW_DIRTY);
    }
  }

  private String version(GitFacts git) {
    String version = request.version().or(() -> git.tag().map(Releaser::versionFromTag))
        .orElseThrow(() -> new InvalidInputException("no release version", Remedy.GIVE_VERSION));
    if (!VERSION.matcher(version).matches()) {
      throw new InvalidInputException(
          "version '" + version + "' cannot be an image tag; use letters, digits, '.', '_' and '-' (at most 128)");
    }
    return version;
  }

  /** {@code v1.2.3} → {@code 1.2.3}; other tags are used as they are. */
  private static String versionFromTag(String tag) {
    return tag.matches("v\\d.*") ? tag.substring(1) : tag;
  }

  /** What the project's commands must not read: the signing key and the registry credential files. */
  private List<Path> hiddenFromCommands() {
    List<Path> hidden = new ArrayList<>(Sandbox.credentialFiles(request.environment()));
    request.keyFile().ifPresent(hidden::add);
    return hidden;
  }

  /** The base image's digest now: as pinned, or resolved from its tag in the registry. */
  private Optional<String> currentBaseDigest(ImageSettings image) {
    if (image.base().isEmpty()) {
      return Optional.empty();
    }
    WrittenReference base = WrittenReference.parse(image.base().get());
    if (base.digest().isPresent()) {
      return base.digest();
    }
    try {
      return RegistryAccess.open(base.repository(), new RegistrySettings(image.insecureRegistry(), request.environment(), line -> {}))
          .digestOf(base.qualifier());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void checkSkips(Pipeline pipeline) {
    List<String> names = pipeline.stages().stream().map(StageDeclaration::name).toList();
    for (String skipped : request.skip()) {
      if (!names.contains(skipped)) {
        throw new InvalidInputException("cannot skip '" + skipped + "': the pipeline has no such stage (stages: " + String.join(", ", names) + ")");
      }
    }
    OutputFlow flow = new OutputFlow();
    for (StageDeclaration stage : pipeline.stages()) {
      boolean skipped = request.skip().contains(stage.name());
      if (!skipped) {
        // The file validated: what is unmet now was produced by a stage that is skipped.
        for (OutputKey<?> needed : flow.unmet(stage.factory().requires(stage.options()))) {
          String producer = flow.skippedProducer(needed)
              .orElseThrow(() -> new IllegalStateException("validated pipeline, yet no stage produces " + needed.name()));
          throw new InvalidInputException("cannot skip '" + producer + "': stage '" + stage.name() + "' needs its output '" + needed.name()
              + "'; skip '" + stage.name() + "' too, or do not skip '" + producer + "'");
        }
      }
      flow.produced(stage.name(), stage.factory().produces(stage.options()), skipped);
    }
  }

  private ImageSettings imageSettings(Pipeline pipeline) {
    Optional<String> repository = request.imageRepository().or(pipeline::repository);
    repository.filter(value -> !ImageReference.isRepository(value)).ifPresent(value -> {
      throw new InvalidInputException(value + " is not an image repository", Remedy.REPOSITORY_WITHOUT_TAG);
    });
    boolean buildsImage = pipeline.stages().stream()
        .anyMatch(stage -> !request.skip().contains(stage.name()) && stage.factory().produces(stage.options()).contains(Outputs.IMAGE));
    if (buildsImage && repository.isEmpty()) {
      throw new InvalidInputException("no image repository in " + pipeline.location(), Remedy.GIVE_IMAGE_REPOSITORY);
    }
    return new ImageSettings(repository, request.baseImage().or(pipeline::base), pipeline.labels(), request.insecureRegistry());
  }
}
