package dev.releasegate.api;

/**
 * A stage type available on the class path.
 *
 * @param type the name a pipeline's {@code uses:} refers to
 * @param kind {@code gate} (decides, publishes nothing) or {@code publisher} (writes what deployers read)
 * @param origin the jar or folder the type was loaded from
 */
public record StageType(String type, String kind, String description, String predicateType, String origin) {}
