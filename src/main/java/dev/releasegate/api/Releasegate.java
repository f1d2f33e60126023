package dev.releasegate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.ImageCheck;
import dev.releasegate.cosign.KeyTrust;
import dev.releasegate.cosign.KeylessBundleVerifier;
import dev.releasegate.cosign.KeylessEnvelopeVerifier;
import dev.releasegate.cosign.KeylessRunSigner;
import dev.releasegate.cosign.KeylessTrust;
import dev.releasegate.cosign.SignatureTrust;
import dev.releasegate.cosign.SigstoreKeylessSigning;
import dev.releasegate.cosign.TransparencyLogKeys;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.evidence.EnvelopeSigner;
import dev.releasegate.evidence.EnvelopeVerifier;
import dev.releasegate.evidence.EvidencePolicy;
import dev.releasegate.evidence.EvidenceReport;
import dev.releasegate.evidence.EvidenceVerifier;
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
import dev.releasegate.promote.PromotionHistory;
import dev.releasegate.publish.Attachments;
import dev.releasegate.publish.EvidenceArtifact;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.report.StageReaders;
import dev.releasegate.sign.CosignKeyFile;
import dev.releasegate.sign.KeySigner;
import dev.releasegate.sign.PublicKeys;
import dev.releasegate.spi.GitFacts;
import dev.releasegate.spi.ImageSettings;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The entry point for releases, evidence verification and keys. */
public final class Releasegate {
  /** Versions become image tags, so they must be valid tags. */
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final DateTimeFormatter FOLDER_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private Releasegate() {}

  /**
   * Validates the pipeline and the project, then runs the release. A run that starts always ends with
   * a signed verdict in the evidence folder, whatever its status.
   *
   * @throws InvalidInputException before anything runs: bad pipeline, key, version, dirty tree, …
   * @throws EnvironmentException when the evidence cannot be written
   */
  public static ReleaseResult release(ReleaseRequest request, ReleaseListener listener) {
    return release(request, listener, Clock.systemUTC());
  }

  static ReleaseResult release(ReleaseRequest request, ReleaseListener listener, Clock clock) {
    Path project = request.projectDirectory().toAbsolutePath().normalize();
    if (!Files.isDirectory(project)) {
      throw new InvalidInputException("project folder " + project + " does not exist");
    }
    StageTypes types = StageTypes.load();
    Pipeline loaded = PipelineLoader.load(request.pipelineFile(), project, types);
    Pipeline pipeline = request.evidenceToRegistry()
        .map(push -> loaded.withAttach(new Pipeline.Attach(loaded.attach().verdict(), push)))
        .orElse(loaded);
    checkSkips(pipeline, request);
    ImageSettings image = imageSettings(pipeline, request);

    GitFacts git = GitFactsReader.read(project);
    if (git.dirty() && !request.allowDirty()) {
      List<String> paths = git.dirtyPaths();
      String shown = String.join(", ", paths.subList(0, Math.min(5, paths.size())))
          + (paths.size() > 5 ? " and " + (paths.size() - 5) + " more" : "");
      throw new InvalidInputException(
          "the work tree has uncommitted changes (" + shown + "); commit them, or pass --allow-dirty to release anyway (the evidence records it)");
    }
    String version = request.version().or(() -> git.tag().map(Releasegate::versionFromTag))
        .orElseThrow(() -> new InvalidInputException("no release version: pass --version V, or tag HEAD (e.g. git tag v1.0.0)"));
    if (!VERSION.matcher(version).matches()) {
      throw new InvalidInputException(
          "version '" + version + "' cannot be an image tag; use letters, digits, '.', '_' and '-' (at most 128)");
    }
    // A dry run signs nothing with the release's identity: its evidence stays tamper-evident under a key
    // of its own (signer.pub in the bundle), which no one trusts for a release.
    EnvelopeSigner signer = request.dryRun() ? new DsseSigner(new KeySigner(CosignKeyFile.generate())) : signer(request);
    Path fresh = project.resolve("target/releasegate/" + FOLDER_TIME.format(clock.instant()) + "-" + git.shortCommit());
    Path evidence = request.evidenceDirectory().map(path -> path.toAbsolutePath().normalize()).orElse(fresh);

    Optional<Resumption> resumption = Optional.empty();
    if (request.resume()) {
      Path earlier = request.evidenceDirectory().map(path -> path.toAbsolutePath().normalize())
          .or(() -> Resumption.latest(project))
          .orElseThrow(() -> new InvalidInputException("nothing to resume: no --evidence folder given and none under " + project.resolve("target/releasegate")));
      Resumption.Plan plan = Resumption.plan(earlier, new KeyEnvelopeVerifier(signer.signer().publicKey()), pipeline, git, version,
          () -> currentBaseDigest(image, request.environment()));
      if (plan instanceof Resumption.Plan.AlreadyReleased released) {
        RunRecord run = released.run();
        listener.on(new ReleaseEvent.Notice(earlier + " already released " + run.image().map(Object::toString).orElse(git.commit())
            + " (verified again); nothing to run" + (PipelineRunner.publishes(run.stages()) ? ", only its attachments to the image are checked" : "")));
        List<RegistryWrite> writes = new ArrayList<>();
        Optional<Attachments> attachments = run.image().filter(built -> PipelineRunner.publishes(run.stages())).map(built ->
            PipelineRunner.attach(earlier, built, run.tags(), pipeline.attach(), image.insecureRegistry(), request.environment(), listener, writes::add));
        ReleaseResult result = resultOf(run, earlier, writes, attachments);
        listener.on(new ReleaseEvent.RunFinished(result));
        return result;
      } else if (plan instanceof Resumption.Plan.StartOver startOver) {
        if (request.evidenceDirectory().isPresent()) {
          throw new InvalidInputException("cannot resume " + earlier + ": " + startOver.why()
              + "; release without --resume into a new --evidence folder");
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
      imageLayout = Optional.of(imageLayoutBeside(evidence));
      if (Files.exists(imageLayout.get(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidInputException(imageLayout.get() + " exists; a dry run writes its image there: choose a new --evidence folder");
      }
    }
    PipelineRunner.Setup setup =
        new PipelineRunner.Setup(
            pipeline, project, git, version, image, request.allowDirty(), request.skip(), request.environment(),
            signer, evidence, clock, resumption, hiddenFromCommands(request), imageLayout);
    return PipelineRunner.create(setup, listener).run();
  }

  /** Where a dry run keeps its image: an OCI image layout beside the evidence folder, named after it. */
  public static Path imageLayoutBeside(Path evidence) {
    return evidence.resolveSibling(evidence.getFileName() + "-image");
  }

  /** What the project's commands must not read: the signing key and the registry credential files. */
  private static List<Path> hiddenFromCommands(ReleaseRequest request) {
    List<Path> hidden = new ArrayList<>(Sandbox.credentialFiles(request.environment()));
    request.keyFile().ifPresent(hidden::add);
    return hidden;
  }

  /** The base image's digest now: as pinned, or resolved from its tag in the registry. */
  private static Optional<String> currentBaseDigest(ImageSettings image, Map<String, String> environment) {
    if (image.base().isEmpty()) {
      return Optional.empty();
    }
    WrittenReference base = WrittenReference.parse(image.base().get());
    if (base.digest().isPresent()) {
      return base.digest();
    }
    try {
      return RegistryAccess.open(base.repository(), new RegistrySettings(image.insecureRegistry(), environment, line -> {}))
          .digestOf(base.qualifier());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The result of an earlier, released run, as if it had just happened. */
  private static ReleaseResult resultOf(RunRecord run, Path evidence, List<RegistryWrite> writes, Optional<Attachments> attachments) {
    return new ReleaseResult(run.status(), run.image().map(ImageReference::repository), run.image().map(ImageReference::digest),
        run.tags(), evidence, run.stages(), writes, attachments);
  }


  /**
   * Looks at everything a release of {@code project} needs without running one: the pipeline file,
   * git, the signing key, isolation, the registry (read access) and every stage's programs.
   */
  public static CheckReport check(Path project, Optional<Path> pipelineFile, Optional<String> image, Optional<Path> key, boolean keyless,
      boolean insecureRegistry, Map<String, String> environment) {
    if (keyless && key.isPresent()) {
      throw new InvalidInputException("sign with a key file or keylessly, not both");
    }
    try {
      return new Preflight(project, pipelineFile, image, key, keyless, insecureRegistry, environment).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while checking", e);
    }
  }

  /**
   * Promotes a released digest to an environment of a repository, after verifying it from its
   * registry alone: the signature, the verdict attestation (PASSED, this digest) and the evidence
   * under the request's policy. Nothing is copied or tagged unless all of it holds.
   *
   * @throws InvalidInputException for a reference without digest, a destination with a tag, or an
   *     environment name that is not a tag or names a version or commit
   * @throws EnvironmentException when a registry cannot be reached or refuses a write
   */
  public static PromotionResult promote(PromoteRequest request, java.util.function.Consumer<String> log) {
    return new Promote(request, log).run();
  }

  /**
   * Promotes again the release an environment held before the current one (or the named version or
   * digest it held once), through every check of {@link #promote}: an old release whose evidence no
   * longer meets the policy is refused, naming the rule.
   *
   * @throws InvalidInputException when the history has no such release to go back to
   */
  public static PromotionResult rollback(RollbackRequest request, java.util.function.Consumer<String> log) {
    EnvironmentHistory history = history(request.repository(), request.environment(), request.promoters(), request.insecureRegistry(),
        request.variables(), log);
    String target = rollbackTarget(history, request.to());
    log.accept("rolling " + request.repository() + ":" + request.environment() + " back to " + target);
    return promote(request.promoting(target), log);
  }

  private static String rollbackTarget(EnvironmentHistory history, Optional<String> to) {
    String shown = history.repository() + ":" + history.environment();
    if (to.isPresent()) {
      return history.promotions().stream()
          .filter(promotion -> promotion.digest().equals(to.get()) || promotion.version().equals(to.get()))
          .map(EnvironmentHistory.Promotion::digest).findFirst()
          .orElseThrow(() -> new InvalidInputException(to.get() + " was never promoted to " + shown + " (by a verified promotion);"
              + " promote it instead"));
    }
    return history.promotions().stream()
        .map(EnvironmentHistory.Promotion::digest)
        .filter(digest -> !history.current().equals(Optional.of(digest)))
        .findFirst()
        .orElseThrow(() -> new InvalidInputException("nothing to roll back to: " + shown + " has held no other release"
            + (history.problems().isEmpty() ? "" : " (" + history.problems().size() + " promotion attestations did not verify)")));
  }

  /**
   * The promotions of {@code environment} in {@code repository}, read from the promotion attestations
   * of its images; only those signed as {@code promoters} says count.
   */
  public static EnvironmentHistory history(
      String repository, String environment, Trust promoters, boolean insecureRegistry, Map<String, String> variables,
      java.util.function.Consumer<String> log) {
    WrittenReference ref = WrittenReference.parse(repository);
    if (ref.tag().isPresent() || ref.digest().isPresent()) {
      throw new InvalidInputException("history takes a repository, not " + repository + "; the environment names the tag");
    }
    RegistryAccess registry = RegistryAccess.open(ref.repository(), new RegistrySettings(insecureRegistry, variables, log));
    try {
      PromotionHistory.History read =
          PromotionHistory.read(registry, environment, Promote.signatureTrust(promoters));
      return new EnvironmentHistory(ref.repository(), environment, registry.digestOf(environment), read.entries().stream()
          .map(entry -> new EnvironmentHistory.Promotion(entry.digest(), entry.previous(), entry.version(), entry.commit(), entry.promotedAt(),
              entry.from(), entry.signer(), entry.ciUrl()))
          .toList(), read.problems());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while reading the history of " + repository + ":" + environment, e);
    }
  }

  /**
   * Verifies an evidence bundle against who should have signed it: every envelope's signature by the key,
   * or keylessly every envelope's Sigstore bundle, offline, for the identity.
   *
   * @throws InvalidInputException when the folder is not a bundle, or the key or trusted root cannot be read
   */
  public static EvidenceReport verifyEvidence(Path bundle, Trust trust, EvidencePolicy policy) {
    EnvelopeVerifier verifier = trust instanceof Trust.Keyless keyless
        ? new KeylessEnvelopeVerifier(KeylessBundleVerifier.fromTrustedRoot(keyless.trustedRoot()), keyless.identity())
        : new KeyEnvelopeVerifier(PublicKeys.read(((Trust.Key) trust).publicKey()));
    return new EvidenceVerifier(verifier, StageTypes.load().predicateTypes()).verify(bundle, policy);
  }

  /** {@link #verifyEvidence(Path, Trust, EvidencePolicy)} with a public key. */
  public static EvidenceReport verifyEvidence(Path bundle, Path publicKey, EvidencePolicy policy) {
    return verifyEvidence(bundle, new Trust.Key(publicKey), policy);
  }

  /**
   * Verifies the cosign signatures and attestations of {@code reference} ({@code repository@sha256:…})
   * in its registry, in both formats, reading everything afresh: what {@code cosign verify} and
   * {@code cosign verify-attestation} check, with a key or keylessly.
   *
   * @throws InvalidInputException for a reference without digest, an unreadable key or trusted root, or
   *     a Rekor key given for keyless trust
   * @throws EnvironmentException when the registry cannot be reached
   */
  public static ImageReport verifyImage(String reference, Trust trust, ImageVerification options) {
    WrittenReference ref = pinned(reference);
    SignatureTrust signers;
    if (trust instanceof Trust.Keyless keyless) {
      if (options.rekorPublicKey().isPresent()) {
        throw new InvalidInputException("a Rekor public key is for key trust; keylessly, the Rekor keys come from the trusted root");
      }
      signers = KeylessTrust.fromTrustedRoot(keyless.trustedRoot(), keyless.identity());
    } else {
      KeyTrust keys = KeyTrust.of(PublicKeys.read(((Trust.Key) trust).publicKey()));
      signers = options.rekorPublicKey()
          .map(rekor -> keys.withTransparencyLog(TransparencyLogKeys.of(PublicKeys.read(rekor))).requiringTransparencyLog())
          .orElse(keys);
    }
    RegistryAccess registry = RegistryAccess.open(ref.repository(), new RegistrySettings(options.insecureRegistry(), options.environment(), options.log()));
    try {
      ImageCheck.Result result = ImageCheck.run(new CosignRegistry(registry), options.signedIdentity().orElse(ref.repository()), ref.digest().get(),
          signers, options.requiredPredicateTypes());
      return new ImageReport(ref.repository() + "@" + ref.digest().get(),
          result.accepted().stream()
              .map(v -> new ImageReport.Verified(v.predicateType(), v.signer(), v.format().name().toLowerCase(Locale.ROOT), v.location()))
              .toList(),
          result.failures(), result.notes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while verifying " + ref, e);
    }
  }

  static WrittenReference pinned(String reference) {
    WrittenReference ref = WrittenReference.parse(reference);
    if (ref.digest().isEmpty()) {
      throw new InvalidInputException(reference + " has no digest; verify an image as REPOSITORY@sha256:…, as it was released");
    }
    return ref;
  }

  /**
   * Downloads the evidence bundles attached to {@code reference} ({@code repository@sha256:…}) as
   * OCI referrers, each into a folder of its own, to be verified as folders.
   *
   * @throws InvalidInputException for a reference without digest
   * @throws EnvironmentException when the registry cannot be reached
   */
  public static RemoteEvidence fetchEvidence(
      String reference, boolean insecureRegistry, Map<String, String> environment, java.util.function.Consumer<String> log) {
    WrittenReference ref = pinned(reference);
    RegistryAccess registry = RegistryAccess.open(ref.repository(), new RegistrySettings(insecureRegistry, environment, log));
    Path folder;
    try {
      folder = Files.createTempDirectory("releasegate-evidence");
    } catch (IOException e) {
      throw new EnvironmentException("cannot create a temporary folder for the evidence: " + e.getMessage(), e);
    }
    List<RemoteEvidence.Bundle> bundles = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    try {
      List<dev.releasegate.registry.Descriptor> artifacts = EvidenceArtifact.list(registry, ref.digest().get());
      for (dev.releasegate.registry.Descriptor artifact : artifacts) {
        try {
          bundles.add(new RemoteEvidence.Bundle(artifact.digest(), EvidenceArtifact.fetch(registry, artifact, folder)));
        } catch (IOException e) {
          unreadable.add(e.getMessage());
        }
      }
    } catch (IOException e) {
      unreadable.add(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while fetching the evidence of " + reference, e);
    }
    return new RemoteEvidence(ref.repository() + "@" + ref.digest().get(), ref.digest().get(), folder, bundles, unreadable);
  }

  /**
   * {@code report} with one more problem when its bundle is about another image than {@code digest}: an
   * authentic bundle found beside an image proves nothing about it unless it names that very digest.
   */
  public static EvidenceReport requireImage(EvidenceReport report, String digest) {
    boolean about = report.image().map(image -> image.endsWith("@" + digest)).orElse(false);
    if (about) {
      return report;
    }
    List<String> problems = new ArrayList<>(report.problems());
    problems.add(dev.releasegate.evidence.BundleLayout.INDEX + ": subject: the evidence is about " + report.image().orElse("no image") + ", not " + digest);
    return new EvidenceReport(report.bundle(), report.status(), report.reason(), report.image(), report.commit(), problems, report.policyViolations());
  }

  private static final List<String> POLICY_KEYS =
      List.of("requirePassed", "allowDirty", "requireIsolation", "maxScanDbAgeHours", "minWaiverValidityDays");

  /**
   * Reads a policy file:
   *
   * <pre>
   * requirePassed: [trivy, smoke, {type: test, stage: unit}]   # stage types; a name only together with its type
   * allowDirty: false                                          # default false
   * requireIsolation: true                                     # default false
   * maxScanDbAgeHours: 72                                      # a passed scan's DB at most this old, now
   * minWaiverValidityDays: 0                                   # applied waivers still valid this many days from now
   * </pre>
   */
  public static EvidencePolicy readPolicy(Path file) {
    JsonNode policy;
    try {
      policy = new YAMLMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new InvalidInputException("policy file " + file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (policy == null || policy.isMissingNode() || policy.isNull()) {
      throw new InvalidInputException("policy file " + file + " is empty");
    }
    if (!policy.isObject()) {
      throw new InvalidInputException("policy file " + file + ": expected a mapping with " + String.join(", ", POLICY_KEYS));
    }
    List<String> unknown = new ArrayList<>();
    policy.fieldNames().forEachRemaining(name -> {
      if (!POLICY_KEYS.contains(name)) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      throw new InvalidInputException("policy file " + file + ": unknown key " + String.join(", ", unknown)
          + " (expected " + String.join(", ", POLICY_KEYS) + ")");
    }
    List<EvidencePolicy.Requirement> required = new ArrayList<>();
    JsonNode list = policy.path("requirePassed");
    if (!list.isMissingNode() && !list.isArray()) {
      throw new InvalidInputException("policy file " + file + ": requirePassed must be a list of stage types");
    }
    for (JsonNode item : list) {
      if (item.isTextual() && !item.textValue().isBlank()) {
        required.add(EvidencePolicy.Requirement.type(item.textValue()));
      } else if (item.isObject() && item.path("type").isTextual() && item.size() == (item.has("stage") ? 2 : 1)
          && (!item.has("stage") || item.get("stage").isTextual())) {
        required.add(new EvidencePolicy.Requirement(item.get("type").textValue(),
            item.has("stage") ? Optional.of(item.get("stage").textValue()) : Optional.empty()));
      } else {
        throw new InvalidInputException("policy file " + file + ": requirePassed holds stage types, or {type: TYPE, stage: NAME}; not " + item);
      }
    }
    // A policy is a demand: a release from a dirty tree fails it unless the policy allows it.
    return new EvidencePolicy(required, flag(policy, "allowDirty", file), flag(policy, "requireIsolation", file),
        count(policy, "maxScanDbAgeHours", file), count(policy, "minWaiverValidityDays", file));
  }

  private static Optional<Long> count(JsonNode policy, String name, Path file) {
    JsonNode value = policy.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < 0) {
      throw new InvalidInputException("policy file " + file + ": " + name + " must be a whole number of 0 or more");
    }
    return Optional.of(value.longValue());
  }

  private static boolean flag(JsonNode policy, String name, Path file) {
    JsonNode value = policy.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidInputException("policy file " + file + ": " + name + " must be true or false");
    }
    return value.booleanValue();
  }

  /** Writes {@code prefix.key} (encrypted with {@code password}) and {@code prefix.pub}; returns the key id. */
  public static String generateKeyPair(Path prefix, char[] password) {
    KeyPair keyPair = CosignKeyFile.generate();
    CosignKeyFile.writeKeyPair(keyPair, password, prefix);
    return PublicKeys.keyId(keyPair.getPublic());
  }

  /** Every stage type on the class path. */
  public static List<StageType> stageTypes() {
    List<StageType> list = new ArrayList<>();
    for (StageFactory factory : StageTypes.load().all()) {
      var source = factory.getClass().getProtectionDomain().getCodeSource();
      String origin = source == null || source.getLocation() == null ? "built-in" : source.getLocation().getPath();
      list.add(new StageType(factory.type(), factory.kind().id(), factory.description(), factory.predicateType(), origin));
    }
    return list;
  }

  /** How each stage type on the class path shows its predicate in a report. */
  public static StageReaders stageReaders() {
    return StageReaders.of(StageTypes.load().all());
  }

  public static String version() {
    return dev.releasegate.ToolVersion.get();
  }

  /** {@code v1.2.3} → {@code 1.2.3}; other tags are used as they are. */
  static String versionFromTag(String tag) {
    return tag.matches("v\\d.*") ? tag.substring(1) : tag;
  }

  private static void checkSkips(Pipeline pipeline, ReleaseRequest request) {
    List<String> names = pipeline.stages().stream().map(StageDeclaration::name).toList();
    for (String skipped : request.skip()) {
      if (!names.contains(skipped)) {
        throw new InvalidInputException("--skip " + skipped + ": the pipeline has no such stage (stages: " + String.join(", ", names) + ")");
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
          throw new InvalidInputException("--skip " + producer + ": stage '" + stage.name() + "' needs its output '" + needed.name()
              + "'; skip '" + stage.name() + "' too, or do not skip '" + producer + "'");
        }
      }
      flow.produced(stage.name(), stage.factory().produces(stage.options()), skipped);
    }
  }

  private static ImageSettings imageSettings(Pipeline pipeline, ReleaseRequest request) {
    Optional<String> repository = request.imageRepository().or(pipeline::repository);
    repository.filter(value -> !ImageReference.isRepository(value)).ifPresent(value -> {
      throw new InvalidInputException("--image " + value + " is not a repository; use host/path without tag, e.g. 127.0.0.1:5000/hello-service");
    });
    boolean buildsImage = pipeline.stages().stream()
        .anyMatch(stage -> !request.skip().contains(stage.name()) && stage.factory().produces(stage.options()).contains(Outputs.IMAGE));
    if (buildsImage && repository.isEmpty()) {
      throw new InvalidInputException(
          "no image repository: set image.repository in " + pipeline.location() + " or pass --image REPO");
    }
    return new ImageSettings(repository, request.baseImage().or(pipeline::base), pipeline.labels(), request.insecureRegistry());
  }

  private static EnvelopeSigner signer(ReleaseRequest request) {
    return signer(request.keyless(), request.keyFile(), request.keyPassword(), request.environment());
  }

  /** A cosign key's signer (its password given, or in {@code COSIGN_PASSWORD}), or keyless in GitHub Actions. */
  static EnvelopeSigner signer(boolean keyless, Optional<Path> key, Optional<char[]> password, Map<String, String> environment) {
    if (keyless) {
      // sigstore-java asks GitHub Actions for the identity token only at the first signature; without one
      // the run would fail after its first stage, so it fails before any.
      if (!environment.containsKey("ACTIONS_ID_TOKEN_REQUEST_URL") || !environment.containsKey("ACTIONS_ID_TOKEN_REQUEST_TOKEN")) {
        throw new EnvironmentException("keyless signing needs GitHub Actions' OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); "
            + "run in a workflow with permissions: id-token: write, or sign with --key");
      }
      return new DsseSigner(new KeylessRunSigner(SigstoreKeylessSigning.publicGood()));
    }
    Path keyFile = key.orElseThrow(() ->
        new InvalidInputException("no signing key: pass --key FILE (create one with 'releasegate keygen --output-prefix cosign')"));
    if (!Files.isRegularFile(keyFile)) {
      throw new InvalidInputException("key file " + keyFile + " does not exist; create one with 'releasegate keygen --output-prefix cosign'");
    }
    char[] secret = password.orElseGet(() -> {
      String fromEnvironment = environment.get("COSIGN_PASSWORD");
      if (fromEnvironment == null) {
        throw new InvalidInputException("COSIGN_PASSWORD is not set; set it to the password of " + keyFile);
      }
      return fromEnvironment.toCharArray();
    });
    return new DsseSigner(new KeySigner(CosignKeyFile.read(keyFile, secret)));
  }
}
