/**
 * The shared vocabulary below every other package: the exceptions that decide exit codes
 * ({@link dev.releasegate.base.InvalidInputException}, {@link dev.releasegate.base.EnvironmentException}),
 * the statuses of stages and releases, what a registry write is, and small helpers that know nothing of
 * stages, registries or evidence. It imports nothing of releasegate; everything may import it.
 */
package dev.releasegate.base;
