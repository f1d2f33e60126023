package dev.releasegate.stages.trivy;

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
 * {@code uses: trivy} — scans the built image (by digest) or its SBOM with Trivy and gates on the
 * severities of what it finds, after {@code ignoreUnfixed} and waivers.
 */
public final class TrivyStageFactory extends BaseStageFactory {
  public static final String PREDICATE_TYPE = "https://cosign.sigstore.dev/attestation/vuln/v1";

  static final OptionSchema OPTIONS =
      OptionSchema.of(
          OptionSpec.string("mode", "What trivy scans: the image in the registry by digest (image) or the SBOM an earlier stage wrote (sbom).")
              .defaultValue("image").allowed("image", "sbom"),
          OptionSpec.stringList("failOn", "Severities that reject the release when a finding remains after ignoreUnfixed and waivers.")
              .allowed(Severity.names()).defaultValue(List.of("CRITICAL")),
          OptionSpec.bool("ignoreUnfixed", "Ignore findings with no fixed version (status affected, will_not_fix, …).")
              .defaultValue(false),
          OptionSpec.string("waivers", "A YAML file of waivers {id, package, reason, expires}, relative to the project."),
          OptionSpec.integer("maxDbAgeHours", "Warn when trivy's vulnerability DB is older than this.")
              .defaultValue(72).range(1, 8_760),
          OptionSpec.integer("timeoutSeconds", "Stop trivy and fail the stage after this long.")
              .defaultValue(900).range(1, 86_400),
          OptionSpec.string("path", "The trivy executable; default: trivy on PATH. A relative path is resolved against the project."),
          OptionSpec.string("cacheDir", "Passed as --cache-dir (the DB and scan cache); a relative path is resolved against the project."),
          OptionSpec.bool("skipDbUpdate", "Pass --skip-db-update: scan with the DB already in the cache.")
              .defaultValue(false),
          OptionSpec.bool("skipJavaDbUpdate", "Pass --skip-java-db-update: use the Java DB already in the cache (images with jars need one).")
              .defaultValue(false),
          OptionSpec.bool("offlineScan", "Pass --offline-scan: trivy makes no API requests to identify dependencies (e.g. jars without metadata).")
              .defaultValue(false),
          OptionSpec.bool("noTelemetry", "Pass --skip-version-check and --disable-telemetry, so that trivy calls nobody about itself. "
              + "Implied by skipDbUpdate and offlineScan.").defaultValue(false),
          OptionSpec.stringList("extraArgs", "Further trivy arguments, from those that cannot change what is found or how it is rated: "
              + String.join(", ", TrivyCommand.ALLOWED.keySet().stream().sorted().toList()) + "."));

  public TrivyStageFactory() {
    super("trivy", StageKind.GATE, "scans the image (or its SBOM) with trivy and gates on severities, ignoreUnfixed and waivers", PREDICATE_TYPE, OPTIONS);
  }

  @Override
  public Set<OutputKey<?>> requires(StageOptions options) {
    // The image digest is what every statement is about, and what an image scan reads; an SBOM scan
    // checks the report against it too.
    return TrivyOptions.scansSbom(options) ? Set.of(Outputs.IMAGE, Outputs.SBOM) : Set.of(Outputs.IMAGE);
  }

  @Override
  public void check(StageOptions options, Problems problems) {
    TrivyOptions.read(options, new OptionProblems(problems));
  }

  /** It scans the image (or the SBOM) from the registry, in its artifact folder, never the work tree. */
  @Override
  public boolean usesWorkTree(StageOptions options) {
    return false;
  }

  @Override
  public Optional<PredicateReader> predicateReader() {
    return Optional.of(new ScanReader());
  }

  @Override
  public Stage create(StageOptions options) {
    return new TrivyStage(TrivyOptions.from(options));
  }

  @Override
  public List<String> tools(StageOptions options) {
    return List.of(TrivyOptions.from(options).path().orElse("trivy"));
  }
}
