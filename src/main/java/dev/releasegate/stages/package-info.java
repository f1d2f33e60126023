/**
 * The built-in stages, one package each ({@code stages.<type>}), and what they share: how a stage talks to
 * registries ({@link dev.releasegate.stages.StageRegistries}), how it reads its options into its own
 * typed record, once ({@link dev.releasegate.stages.OptionProblems}), and the command options the test and
 * exec stages share ({@link dev.releasegate.stages.CommandOptions}). A stage package may import {@code base},
 * {@code spi}, the packages that serve stages ({@code evidence}, {@code image}, {@code process},
 * {@code registry}, {@code cosign}, {@code waivers}) and another stage's public types (verify reads what sign
 * attached); never the runner ({@code pipeline}) or the facade ({@code api}).
 */
package dev.releasegate.stages;
