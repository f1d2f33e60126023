package dev.releasegate.api;

/**
 * A stage type available on the class path.
 *
 * @param type the name a pipeline's {@code uses:} refers to
 * @param origin the jar or folder the type was loaded from
 */
public record StageType(String type, String description, String predicateType, String origin) {}
