package dev.releasegate.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.api.ReleaseMessages;
import dev.releasegate.api.ReleaseRequest;
import dev.releasegate.api.Releasegate;
import dev.releasegate.api.run.ReleaseResult;
import dev.releasegate.base.FailureKind;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.ReleaseStatus;
import dev.releasegate.base.ReleasegateException;
import dev.releasegate.evidence.StageEntry;
import dev.releasegate.publish.Attachments;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "release", description = "Run the release pipeline of a project.", sortOptions = false,
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  COSIGN_PASSWORD                 password of --key (else asked on a terminal)",
      "  RELEASEGATE_REGISTRY_USERNAME   registry user (else docker's config.json)",
      "  RELEASEGATE_REGISTRY_PASSWORD   registry password; hidden from commands",
      "  RELEASEGATE_ISOLATION=none      no sandbox (recorded as isolation: none)",
      "  SOURCE_DATE_EPOCH               image created time (default: commit time)",
      "  NO_COLOR                        no colours",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:released (every gate passed, tags pushed, verdict and evidence attached); with --dry-run: every gate passed",
      "1:a gate rejected the release, or another release moved a tag after the push (TAG RACE)",
      "2:invalid input: options, pipeline file, key, project",
      "3:could not decide: registry, tool, runtime or deadline; or attaching after the verdict failed (--resume)",
    })
final class ReleaseCommand implements Callable<Integer> {
  private static final long STOP_GRACE_SECONDS = 60;

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--project", paramLabel = "DIR", defaultValue = ".", description = "The project to release (default: .).")
  Path project;

  @Option(names = "--pipeline", paramLabel = "FILE",
      description = "Pipeline file (default: releasegate.yaml in the project, else the built-in pipeline).")
  Path pipeline;

  @Option(names = "--image", paramLabel = "REPO", description = "Image repository, e.g. 127.0.0.1:5000/hello-service.")
  String image;

  @Option(names = "--base", paramLabel = "REF", description = "Base image; overrides the pipeline file.")
  String base;

  @Option(names = "--version", paramLabel = "V", description = "Release version (default: the tag on HEAD, without a leading v).")
  String version;

  @Option(names = "--key", paramLabel = "FILE",
      description = "Cosign private key that signs the evidence; password from COSIGN_PASSWORD.")
  Path key;

  @Option(names = "--keyless",
      description = "Sign keylessly with the GitHub Actions OIDC identity (Fulcio certificate, Rekor entry) instead of --key.")
  boolean keyless;

  @Option(names = "--evidence", paramLabel = "DIR",
      description = "Evidence bundle folder, new or empty (default: a new folder under target/releasegate/).")
  Path evidence;

  @Option(names = "--skip", paramLabel = "STAGE", description = "Skip a stage (repeatable); recorded in the evidence.")
  List<String> skip = new ArrayList<>();

  @Option(names = "--resume",
      description = "Continue the earlier run in --evidence (default: the newest under target/releasegate), reusing its passed stages.")
  boolean resume;

  @Option(names = "--dry-run",
      description = "Rehearse: build the image into an OCI layout beside the evidence (DIR-image), run the gates on it, and publish, tag "
          + "and sign nothing; the evidence is signed with a key of the run's own and never verifies as released.")
  boolean dryRun;

  @Option(names = "--insecure-registry", description = "Allow plain HTTP to the registry (loopback registries).")
  boolean insecureRegistry;

  @Option(names = "--allow-dirty", description = "Release from a work tree with uncommitted changes; recorded in the evidence.")
  boolean allowDirty;

  @Option(names = "--evidence-to-registry", paramLabel = "BOOL", arity = "1", defaultValue = "true",
      description = "Push the evidence of a released run as an OCI referrer of the image (default: true, or the pipeline's attach.evidence).")
  boolean evidenceToRegistry;

  @Option(names = {"-q", "--quiet"}, description = "Say only what needs attention: failures, warnings, the result.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Also print every progress message as a line, on a terminal too.")
  boolean verbose;

  @Option(names = "--json", description = "Print one JSON object with the result on stdout; progress stays on stderr.")
  boolean json;

  @Override
  public Integer call() {
    // The request refuses these too; here they are said with the flags a user typed.
    if (key != null && keyless) {
      throw new InvalidInputException("--key and --keyless exclude each other; sign with one of them");
    }
    if (dryRun && resume) {
      throw new InvalidInputException("a dry run starts afresh; leave out --resume");
    }
    ReleaseRequest.Builder request =
        ReleaseRequest.builder(project)
            .pipelineFile(pipeline)
            .imageRepository(image)
            .baseImage(base)
            .version(version)
            .keyFile(key)
            .evidenceDirectory(evidence)
            .insecureRegistry(insecureRegistry)
            .allowDirty(allowDirty)
            .resume(resume)
            .keyless(keyless)
            .dryRun(dryRun);
    if (spec.commandLine().getParseResult().hasMatchedOption("--evidence-to-registry")) {
      request.evidenceToRegistry(evidenceToRegistry);
    }
    skip.forEach(request::skip);
    if (!dryRun && key != null && java.nio.file.Files.isRegularFile(key) && System.getenv("COSIGN_PASSWORD") == null) {
      Console console = System.console();
      if (console != null) {
        request.keyPassword(console.readPassword("Enter password for private key %s: ", key));
      }
    }
    PrintWriter err = spec.commandLine().getErr();
    if (quiet && verbose) {
      throw new InvalidInputException("--quiet and --verbose exclude each other");
    }
    ConsoleDisplay display = new ConsoleDisplay(err, Terminals.stderrIsTerminal(System.getenv()),
        quiet ? ConsoleDisplay.Verbosity.QUIET : verbose ? ConsoleDisplay.Verbosity.VERBOSE : ConsoleDisplay.Verbosity.NORMAL);
    GitHubActions github = new GitHubActions(System.getenv(), err);
    ReleaseResult result;
    CountDownLatch finished = new CountDownLatch(1);
    Thread stop = stopHook(Thread.currentThread(), finished);
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      result = Releasegate.release(request.build(), display);
    } catch (ReleasegateException e) {
      github.failure(Advice.message(e));
      if (json) {
        // Callers that parse stdout get an answer even when the run could not start.
        ObjectNode failure = Json.object().put("status", ReleaseStatus.FAILED.id());
        failure.putObject("error")
            .put("kind", e instanceof InvalidInputException ? "invalid-input" : "environment")
            .put("message", Advice.message(e));
        failure.putArray("stages");
        PrintWriter out = spec.commandLine().getOut();
        out.print(new String(Json.pretty(failure), StandardCharsets.UTF_8));
        out.flush();
      }
      throw e;
    } finally {
      finished.countDown();
      display.close();
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: SIGTERM or SIGINT arrived. It returns now that the verdict is written.
      }
    }
    github.report(result);
    if (result.status() == ReleaseStatus.DRY_RUN) {
      err.println(ReleaseMessages.dryRun(result));
    }
    int code = exitCode(result);
    if (code != Main.RELEASED) {
      err.println(advice(result));
    }
    err.flush();
    if (json) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(new String(Json.pretty(toJson(result)), StandardCharsets.UTF_8));
      out.flush();
    }
    return code;
  }

  /**
   * On SIGTERM or SIGINT the JVM runs its shutdown hooks and then halts. This one interrupts the
   * release, which stops the running stage (and its subprocesses), records it as interrupted and signs
   * a failed verdict; the hook waits for that, within a bound, so that the bundle is never left without
   * a verdict. The process then exits non-zero (143 for SIGTERM).
   */
  private static Thread stopHook(Thread release, CountDownLatch finished) {
    return new Thread(() -> {
      release.interrupt();
      try {
        finished.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        // Halting anyway.
      }
    }, "releasegate-stop");
  }

  static int exitCode(ReleaseResult result) {
    if (result.status() == ReleaseStatus.DRY_RUN) {
      return Main.RELEASED;
    }
    if (result.status() == ReleaseStatus.RELEASED) {
      if (!result.attachments().map(Attachments::tagsHeld).orElse(true)) {
        return Main.REJECTED;
      }
      return result.attachments().map(Attachments::complete).orElse(true) ? Main.RELEASED : Main.ENVIRONMENT;
    }
    if (result.status() == ReleaseStatus.REJECTED) {
      return Main.REJECTED;
    }
    FailureKind kind = result.failedStage().flatMap(StageEntry::failure).orElse(FailureKind.ENVIRONMENT);
    return kind == FailureKind.INVALID_INPUT ? Main.INVALID_INPUT : Main.ENVIRONMENT;
  }

  private static String advice(ReleaseResult result) {
    if (result.status() == ReleaseStatus.RELEASED && !result.attachments().orElseThrow().tagsHeld()) {
      return "releasegate: " + ReleaseMessages.tagRace(result);
    }
    if (result.status() == ReleaseStatus.RELEASED) {
      return "releasegate: " + ReleaseMessages.attachFailed(result, "releasegate release --resume --evidence " + result.evidenceDirectory());
    }
    StageEntry failed = result.failedStage().orElseThrow();
    return "releasegate: " + switch (failed.failure().orElseThrow()) {
      case REJECTED -> "the release was rejected by stage '" + failed.name() + "'; fix what it reports and release again";
      case INVALID_INPUT -> "stage '" + failed.name() + "' could not use its input; fix the project or pipeline and release again";
      case ENVIRONMENT -> "stage '" + failed.name() + "' could not decide because of the environment; fix it and release again";
      case INTERRUPTED -> "the release was interrupted during stage '" + failed.name() + "'";
    } + "\n" + ReleaseMessages.leftBehind(result, "--resume");
  }

  static ObjectNode toJson(ReleaseResult result) {
    ObjectNode node = Json.object();
    node.put("status", result.status().id());
    node.put("image", result.image().orElse(null));
    node.put("digest", result.digest().orElse(null));
    ArrayNode tags = node.putArray("tags");
    result.tags().forEach(tags::add);
    node.put("evidence", result.evidenceDirectory().toString());
    Path layout = Releasegate.imageLayoutBeside(result.evidenceDirectory());
    if (result.status() == ReleaseStatus.DRY_RUN && Files.isDirectory(layout)) {
      node.put("imageLayout", layout.toString());
    }
    ArrayNode stages = node.putArray("stages");
    for (StageEntry stage : result.stages()) {
      ObjectNode entry = stages.addObject();
      entry.put("name", stage.name());
      entry.put("type", stage.type());
      entry.put("status", stage.status().id());
      entry.put("durationMs", stage.durationMs());
      entry.put("statement", stage.statement().map(path -> result.evidenceDirectory().resolve(path).toString()).orElse(null));
      stage.reason().ifPresent(reason -> entry.put("reason", reason));
      stage.failure().ifPresent(failure -> entry.put("failure", failure.id()));
    }
    result.attachments().ifPresent(attachments -> {
      ObjectNode attached = node.putObject("attachments").put("verdict", attachments.verdict());
      attached.put("evidence", attachments.evidence().orElse(null));
      attachments.failure().ifPresent(failure -> attached.put("error", failure));
      if (!attachments.tagsHeld()) {
        attachments.movedTags().forEach(attached.putArray("movedTags")::add);
      }
      attached.put("durationMs", attachments.durationMs());
    });
    if (!result.writes().isEmpty()) {
      ArrayNode writes = node.putArray("writes");
      for (RegistryWrite write : result.writes()) {
        ObjectNode item = writes.addObject().put("reference", write.where()).put("digest", write.digest());
        write.previous().ifPresent(previous -> item.put("previous", previous));
        item.put("removal", write.removal());
      }
    }
    return node;
  }
}
