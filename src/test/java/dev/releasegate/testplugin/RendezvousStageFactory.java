package dev.releasegate.testplugin;

import dev.releasegate.base.Json;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.spi.StageResult;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

/**
 * Test-only gate (listed in src/test/resources/META-INF/services): waits until every stage of its
 * {@code group} has arrived, then rejects or passes. Two of them reject at the same moment, which no
 * timing of real commands makes certain.
 */
public final class RendezvousStageFactory implements StageFactory {
  private static final Map<String, CyclicBarrier> GROUPS = new ConcurrentHashMap<>();

  @Override
  public String type() {
    return "rendezvous";
  }

  @Override
  public String description() {
    return "test plug-in: meets the other stages of its group, then rejects (or passes)";
  }

  @Override
  public String predicateType() {
    return "https://example.test/rendezvous/v1";
  }

  @Override
  public StageKind kind() {
    return StageKind.GATE;
  }

  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public OptionSchema options() {
    return OptionSchema.of(
        OptionSpec.string("group", "Stages of one group meet.").required(),
        OptionSpec.integer("parties", "How many stages the group has.").defaultValue(2).range(1, 10),
        OptionSpec.bool("reject", "Reject after meeting.").defaultValue(true));
  }

  @Override
  public Stage create(StageOptions options) {
    return context -> {
      CyclicBarrier barrier = GROUPS.computeIfAbsent(context.runId() + options.string("group"),
          group -> new CyclicBarrier((int) options.integer("parties")));
      try {
        barrier.await();
      } catch (BrokenBarrierException e) {
        throw new IllegalStateException("the group broke up", e);
      }
      return (options.bool("reject") ? StageResult.rejected(context.stageName() + " says no") : StageResult.passed("met"))
          .predicate(Json.object().put("group", options.string("group")))
          .build();
    };
  }
}
