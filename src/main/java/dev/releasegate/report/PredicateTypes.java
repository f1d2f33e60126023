package dev.releasegate.report;

/** The predicate types whose content the report knows how to show (DESIGN §4). */
final class PredicateTypes {
  static final String TEST = "https://in-toto.io/attestation/test-result/v0.1";
  static final String PROVENANCE = "https://slsa.dev/provenance/v1";
  static final String SBOM = "https://cyclonedx.org/bom";
  static final String VULNERABILITIES = "https://cosign.sigstore.dev/attestation/vuln/v1";
  static final String READINESS = "https://releasegate.dev/readiness/v1";
  static final String SMOKE = "https://releasegate.dev/smoke/v1";
  static final String PUSH = "https://releasegate.dev/push/v1";
  static final String SIGN = "https://releasegate.dev/sign/v1";
  static final String VERIFY = "https://releasegate.dev/verify/v1";
  static final String EXEC = "https://releasegate.dev/exec/v1";
  static final String STAGE_ERROR = dev.releasegate.evidence.Statements.STAGE_ERROR_PREDICATE;

  private PredicateTypes() {}
}
