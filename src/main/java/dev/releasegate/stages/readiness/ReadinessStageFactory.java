package dev.releasegate.stages.readiness;

import dev.releasegate.spi.BaseStageFactory;
import dev.releasegate.spi.OptionSchema;
import dev.releasegate.spi.OptionSpec;
import dev.releasegate.spi.OutputKey;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.PredicateReader;
import dev.releasegate.spi.Problems;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageKind;
import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: readiness} — a production-readiness lint of the built image, read by digest from the
 * registry: its config (user, environment, labels, entrypoint, ports, health check) and every layer
 * (secrets in files, package managers and shells, size). Failed error checks reject the release,
 * warnings are reported; waivers accept a failed check for a while, with a reason.
 *
 * <p>The "no latest" check reads the tags given to <em>this</em> stage ({@code tags}, templates as the
 * push stage writes them), and nothing else: the push stage runs after the lint, and a stage sees only
 * what earlier stages published. Give both stages the same list; with none, the check is n-a.
 */
public final class ReadinessStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/readiness/v1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.integer("maxImageMb", "Largest allowed image, compressed and uncompressed, in MB (1,000,000 bytes).")
              .defaultValue(200).range(1, 1_000_000),
          OptionSpec.stringList("tags", "The push stage's tag templates ({version}, {gitSha}, {gitShortSha}), checked for 'latest'. "
              + "The lint reads no other stage's tags.").defaultValue(List.of()),
          OptionSpec.string("waivers", "A YAML file of waivers {id: RG-IMG-…, reason, expires}, relative to the project."));

  public ReadinessStageFactory() {
    super("readiness", StageKind.GATE, "lints the image (config and layers, by digest) for production readiness: non-root, no secrets, size, labels, pinned base, …", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    return Set.of(Outputs.IMAGE);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    ReadinessOptions.read(options, new OptionProblems(problems));
  }

  /** It reads the image from the registry, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new LintReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new ReadinessStage(ReadinessOptions.from(options));
  }
}
