package dev.releasegate.stages.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.spi.Artifact;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

/**
 * One smoke run: the image pulled, the container started by digest, hardened, checked while it runs,
 * stopped and removed, and what was found signed as the predicate. Each step is a class of its own;
 * this one orders them and overlaps the runtime calls that do not depend on each other.
 */
final class SmokeSession {
  private final SmokeOptions options;
  private final StageContext context;
  private final Instant startedOn;
  private final ImageReference image;
  /** Added to from the background threads too. */
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Timing timing = new Timing();

  SmokeSession(SmokeOptions options, StageContext context) {
    this.options = options;
    this.context = context;
    this.startedOn = context.clock().instant();
    this.image = context.output(Outputs.IMAGE);
  }

  StageResult run() throws InterruptedException {
    Map<String, String> secrets = ContainerStart.secretEnvironment(options.secretEnv(), context);
    ContainerRuntime runtime = ContainerRuntime.locate(options.runtime(), options.runtimePath(),
        context.projectDirectory(), context.environment());
    options.hardening().overrides().forEach(override -> warnings.add(override.describe()));
    try (Background background = new Background()) {
      return run(new SmokeContainer(runtime, ContainerStart.containerName(context), context::redact), secrets, background);
    } catch (IOException e) {
      throw new EnvironmentException("smoke stage cannot write its evidence: " + e.getMessage(), e);
    }
  }

  private StageResult run(SmokeContainer container, Map<String, String> secrets, Background background)
      throws IOException, InterruptedException {
    ContainerRuntime runtime = container.runtime();
    // The version is only recorded, so it is asked for beside the work that starts the container.
    Future<ContainerRuntime.Version> asked = background.submit(runtime::version);
    ImagePull.Pulled pulled;
    try {
      pulled = new ImagePull(runtime, context, options.pullTimeout(), warnings::add).pull();
    } catch (EnvironmentException e) {
      // A runtime that cannot even say its version explains the failure better than the pull does.
      Background.await(asked);
      throw e;
    }
    timing.put("pullMs", pulled.millis());

    LeftoverContainers.remove(runtime, context::redact, warnings::add);
    List<SmokeCheck> checks = new ArrayList<>();
    ContainerStart.Started started;
    ContainerRuntime.Version version;
    NonRootCheck.UserFacts user;
    ObjectNode logs;
    try (ContainerGuard guard = ContainerGuard.install(runtime, container.name())) {
      try {
        started = new ContainerStart(options, context, container).start(guard, pulled.runnable(), secrets);
      } catch (EnvironmentException e) {
        Background.await(asked);
        throw e;
      }
      timing.put("runMs", started.runMillis());
      version = Background.await(asked);
      // Who the process runs as is measured while the service starts, so it costs no waiting.
      Future<NonRootCheck.UserFacts> measured = background.submit(() -> NonRootCheck.measure(container));
      ServiceHttp service = new ServiceHttp(started.hostPort(), context::redact);
      Readiness readiness = new ReadinessWait(service, container, background, context::progress)
          .await(options.readyPath(), options.readyTimeout(), started.startedNanos());
      timing.put("startupMs", readiness.millis());
      checks.add(readiness.readinessCheck(options.readyPath(), options.readyTimeout()));
      checks.add(readiness.startupCheck(options.maxStartup()));

      long mark = System.nanoTime();
      ServiceChecks.Release release = new ServiceChecks.Release(context.git().commit(), context.version());
      checks.addAll(new ServiceChecks(service, release, warnings::add).check(options.probes(), options.versionPath(), readiness.ready()));
      user = Background.await(measured);
      checks.add(NonRootCheck.check(user, runtime.name(), warnings::add));
      timing.since("checksMs", mark);

      GracefulStop stop = new GracefulStop(container, options.stopTimeout());
      long stopMillis = stop.stop(context::progress);
      timing.put("stopMs", stopMillis);
      // The exit code and the logs are both read after the stop; neither needs the other.
      mark = System.nanoTime();
      Future<ObjectNode> collected = background.submit(() -> ContainerLogs.collect(container, context.artifacts(), warnings::add));
      JsonNode state = container.inspect().path("State");
      logs = Background.await(collected);
      timing.since("afterStopMs", mark);
      checks.add(stop.check(readiness, stopMillis, state));

      context.progress("removing " + container.name());
      guard.remove();
      timing.put("removeMs", guard.removeMs());
    }
    Artifact versionReport = context.artifacts().write("runtime-version.json", version.raw());
    ObjectNode times = timing.finish();
    SmokePredicate predicate = new SmokePredicate(image, runtime, version, versionReport, pulled.pulled(), started, user.id(),
        options, checks, logs, times, startedOn, context.clock().instant());
    return SmokeVerdict.of(checks, warnings, predicate.toJson(context::redact));
  }
}
