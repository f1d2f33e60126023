package dev.releasegate.registry;

import dev.releasegate.base.RegistryWrite;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a run talks to registries.
 *
 * @param insecure plain HTTP allowed; only for loopback registries
 * @param environment where credentials are read from ({@code RELEASEGATE_REGISTRY_USERNAME} and
 *     {@code _PASSWORD}), before docker's config and credential helpers
 * @param log receives one line per noteworthy event (retries, auth fallbacks); never credentials
 * @param writes told of every manifest written, so that a run can say what it left in the registry
 */
public record RegistrySettings(boolean insecure, Map<String, String> environment, Consumer<String> log, Consumer<RegistryWrite> writes) {
  public static final String USERNAME_VARIABLE = "RELEASEGATE_REGISTRY_USERNAME";
  public static final String PASSWORD_VARIABLE = "RELEASEGATE_REGISTRY_PASSWORD";

  public RegistrySettings {
    environment = Map.copyOf(environment);
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(writes, "writes");
  }

  /** Settings for a caller that keeps no record of its writes. */
  public RegistrySettings(boolean insecure, Map<String, String> environment, Consumer<String> log) {
    this(insecure, environment, log, write -> {});
  }
}
