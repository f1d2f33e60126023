package dev.releasegate.stages.smoke;

import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;

/**
 * Runs the image under release (by digest, never a tag) in a hardened container on a free loopback
 * port and checks it the way an orchestrator would: ready in time, answering its probes, reporting
 * this release's revision, running as a non-root user and stopping cleanly on SIGTERM. The container
 * is removed however the stage ends; a runtime that cannot run it at all fails the stage (exit 3).
 */
final class SmokeStage implements Stage {
  private final SmokeOptions options;

  SmokeStage(SmokeOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    return new SmokeSession(options, context).run();
  }
}

