/**
 * The built-in stages, one package each ({@code stages.<type>}), and what they share: how a stage
 * talks to registries. A stage package may import another's public types (verify reads what sign
 * attached), never the runner ({@code pipeline}) or the facade ({@code api}).
 */
package dev.releasegate.stages;
