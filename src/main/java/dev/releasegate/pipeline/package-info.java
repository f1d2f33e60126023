/**
 * The pipeline file (located YAML, validation, JSON Schema) and the runner: the stage graph, one thread
 * per running stage, one coordinator that writes all evidence, resumption, and the outputs' flow. It may
 * import the packages below it, and {@code api} for the release events and results it produces.
 */
package dev.releasegate.pipeline;
