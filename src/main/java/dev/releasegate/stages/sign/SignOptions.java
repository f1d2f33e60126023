package dev.releasegate.stages.sign;

import dev.releasegate.spi.StageOptions;
import dev.releasegate.stages.OptionProblems;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The sign stage's options, read once.
 *
 * @param attest attach the run's statements about the image, not only the signature
 */
record SignOptions(boolean attest, Format format) {

  /** Where cosign's readers find the signature and attestations. */
  enum Format {
    /** cosign's {@code .sig} and {@code .att} tags (cosign v2, containers/image). */
    LEGACY,
    /** Sigstore bundles as OCI referrers (cosign v3's default). */
    BUNDLE,
    /** Each reader finds its own. */
    BOTH;

    /** As the pipeline file and the evidence spell it. */
    String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  SignOptions {
    Objects.requireNonNull(format, "format");
  }

  static SignOptions from(StageOptions options) {
    return OptionProblems.valid(options, SignOptions::read);
  }

  /** Reads the options; the schema expresses every rule they follow, so nothing is reported. */
  static Optional<SignOptions> read(StageOptions options, OptionProblems problems) {
    return Optional.of(new SignOptions(options.bool("attest"), Format.valueOf(options.string("format").toUpperCase(Locale.ROOT))));
  }
}
