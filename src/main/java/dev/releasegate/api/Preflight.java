package dev.releasegate.api;

import dev.releasegate.api.CheckReport.Item;
import dev.releasegate.api.CheckReport.Status;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.ReleasegateException;
import dev.releasegate.base.Remedy;
import dev.releasegate.git.GitFactsReader;
import dev.releasegate.pipeline.Pipeline;
import dev.releasegate.pipeline.PipelineLoader;
import dev.releasegate.pipeline.StageDeclaration;
import dev.releasegate.pipeline.StageTypes;
import dev.releasegate.process.Sandbox;
import dev.releasegate.process.Subprocess;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.GitFacts;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code check}: everything a release needs, looked at without running one. Each item says what it
 * found; nothing is built, written or signed.
 */
final class Preflight {
  private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(15);
  private static final String PROBE_TAG = "releasegate-check";

  private final Path project;
  private final Optional<Path> pipelineFile;
  private final Optional<String> image;
  private final Optional<Path> key;
  private final boolean keyless;
  private final boolean insecureRegistry;
  private final Map<String, String> environment;
  private final List<Item> items = new ArrayList<>();

  Preflight(Path project, Optional<Path> pipelineFile, Optional<String> image, Optional<Path> key, boolean keyless, boolean insecureRegistry,
      Map<String, String> environment) {
    this.project = project;
    this.pipelineFile = pipelineFile;
    this.image = image;
    this.key = key;
    this.keyless = keyless;
    this.insecureRegistry = insecureRegistry;
    this.environment = environment;
  }

  CheckReport run() throws InterruptedException {
    Optional<Pipeline> pipeline = pipeline();
    git();
    signer();
    isolation();
    registry(image.or(() -> pipeline.flatMap(Pipeline::repository)));
    if (pipeline.isPresent()) {
      tools(pipeline.get());
    }
    return new CheckReport(items);
  }

  private Optional<Pipeline> pipeline() {
    try {
      Pipeline pipeline = PipelineLoader.load(pipelineFile, project, StageTypes.load());
      items.add(new Item("pipeline", Status.OK, pipeline.location() + ": " + pipeline.stages().size() + " stages ("
          + String.join(", ", pipeline.stages().stream().map(stage -> stage.name() + ":" + stage.type()).toList()) + ")"));
      return Optional.of(pipeline);
    } catch (InvalidInputException e) {
      items.add(Item.of("pipeline", Status.INVALID, e));
      return Optional.empty();
    }
  }

  private void git() {
    try {
      GitFacts git = GitFactsReader.read(project);
      items.add(git.dirty()
          ? new Item("git", Status.WARNING, "commit " + git.shortCommit() + ", dirty work tree (" + git.dirtyPaths().size()
              + " paths): a release refuses it", Optional.of(Remedy.ALLOW_DIRTY))
          : new Item("git", Status.OK, "commit " + git.shortCommit() + ", clean"));
    } catch (ReleasegateException e) {
      items.add(Item.of("git", Status.INVALID, e));
    }
  }

  private void signer() {
    try {
      String keyId = Signers.of(keyless, key, Optional.empty(), environment).keyId();
      items.add(new Item("signing", Status.OK, keyless ? "keyless (GitHub Actions OIDC)" : key.orElseThrow() + " loads, key id " + keyId));
    } catch (InvalidInputException e) {
      items.add(Item.of("signing", Status.INVALID, e));
    } catch (EnvironmentException e) {
      items.add(Item.of("signing", Status.UNAVAILABLE, e));
    }
  }

  private void isolation() throws InterruptedException {
    Sandbox sandbox = Sandbox.detect(environment, List.of());
    items.add(sandbox.isolated()
        ? new Item("isolation", Status.OK, "the project's commands run in a bubblewrap sandbox (own PID and mount namespaces)")
        : new Item("isolation", Status.WARNING, "not isolated: " + sandbox.notIsolatedBecause().orElse("")));
  }

  private void registry(Optional<String> repository) {
    if (repository.isEmpty()) {
      items.add(new Item("registry", Status.INVALID, "no image repository", Optional.of(Remedy.GIVE_IMAGE_REPOSITORY)));
      return;
    }
    try {
      RegistryAccess registry = RegistryAccess.open(repository.get(), new RegistrySettings(insecureRegistry, environment, line -> {}));
      registry.digestOf(PROBE_TAG);
      items.add(new Item("registry", Status.OK, repository.get() + ": reachable, credentials accepted for reading"));
    } catch (InvalidInputException e) {
      items.add(Item.of("registry", Status.INVALID, e));
    } catch (EnvironmentException e) {
      items.add(Item.of("registry", Status.UNAVAILABLE, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      items.add(new Item("registry", Status.UNAVAILABLE, "interrupted"));
    }
  }

  /** Each stage's programs: found, and what they say their version is. */
  private void tools(Pipeline pipeline) throws InterruptedException {
    Set<String> seen = new LinkedHashSet<>();
    for (StageDeclaration stage : pipeline.stages()) {
      for (String tool : stage.factory().tools(stage.options())) {
        if (seen.add(stage.name() + "\0" + tool)) {
          items.add(tool(stage.name(), tool));
        }
      }
    }
  }

  /** {@code tool} may name alternatives, {@code podman|docker}: the first found counts. */
  private Item tool(String stage, String tool) throws InterruptedException {
    for (String alternative : tool.split("\\|")) {
      Optional<Path> found = alternative.contains("/")
          ? Optional.of(project.resolve(alternative).normalize()).filter(Files::isExecutable)
          : Subprocess.findExecutable(alternative, environment);
      if (found.isPresent()) {
        return new Item("tool", Status.OK, "stage '" + stage + "': " + alternative + " " + version(found.get()) + " (" + found.get() + ")");
      }
    }
    return new Item("tool", Status.UNAVAILABLE, "stage '" + stage + "': " + tool.replace("|", " or ") + " not found"
        + (tool.contains("/") ? " in the project" : " on PATH"));
  }

  private String version(Path program) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Subprocess.Result result = Subprocess.of(List.of(program.toString(), "--version")).directory(project).environment(environment)
        .timeout(VERSION_TIMEOUT).stdout(out).stderr(out).run();
    // Maven colours its banner even into a pipe; the version is the text.
    String first = out.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").lines().map(String::strip)
        .filter(line -> !line.isEmpty()).findFirst().orElse("");
    return result.exitCode() == 0 && !first.isEmpty() ? "[" + (first.length() > 80 ? first.substring(0, 80) + "…" : first) + "]" : "[version unknown]";
  }
}
