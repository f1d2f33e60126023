package dev.releasegate.stages;

import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.spi.StageContext;
import java.util.HashMap;
import java.util.Map;

/** How a built-in stage talks to registries: the one place that joins the stage context and the registry client. */
public final class StageRegistries {
  private StageRegistries() {}

  /**
   * The settings of a stage: its subprocess environment has no secrets, so the registry password is
   * read through the context, which also makes sure it is redacted wherever it might be echoed. Every
   * manifest written is recorded with the stage.
   */
  public static RegistrySettings settings(StageContext context) {
    Map<String, String> environment = new HashMap<>(context.environment());
    context.secret(RegistrySettings.PASSWORD_VARIABLE).ifPresent(password -> environment.put(RegistrySettings.PASSWORD_VARIABLE, password));
    return new RegistrySettings(context.image().insecureRegistry(), environment, context::log, context::recordWrite);
  }
}
