package dev.releasegate.testplugin;

import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageFactory;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import java.time.Duration;

/**
 * Test-only gate (listed in src/test/resources/META-INF/services): never decides, as a stage stuck on
 * a registry that does not answer; its deadline comes from its options, so a test need not wait minutes.
 */
public final class HangStageFactory implements StageFactory {
  @Override
  public String type() {
    return "hang";
  }

  @Override
  public String description() {
    return "test plug-in: waits until it is interrupted";
  }

  @Override
  public String predicateType() {
    return "https://example.test/hang/v1";
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
    return OptionSchema.of(OptionSpec.integer("deadlineMillis", "The stage's deadline.").defaultValue(500).range(1, 60_000));
  }

  @Override
  public Duration deadline(StageOptions options) {
    return Duration.ofMillis(options.integer("deadlineMillis"));
  }

  @Override
  public Stage create(StageOptions options) {
    return context -> {
      Thread.sleep(Long.MAX_VALUE);
      throw new AssertionError("woke up without an interrupt");
    };
  }
}
