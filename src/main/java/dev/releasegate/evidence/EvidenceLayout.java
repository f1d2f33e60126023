package dev.releasegate.evidence;

import java.util.regex.Pattern;

/** Names and rules of the evidence bundle's layout (DESIGN §4). */
public final class EvidenceLayout {
  public static final String INDEX = "bundle.json";
  public static final String STATEMENTS = "statements";
  public static final String ARTIFACTS = "artifacts";
  /** Views derived from the run, signed with it: {@code reports/junit.xml}. */
  public static final String REPORTS = "reports";
  public static final String SIGNER_PUBLIC_KEY = "signer.pub";
  /** Keyless: the last Fulcio certificate the run's signatures were made under, for information. */
  public static final String SIGNER_CERTIFICATE = "signer.crt";
  /** The progress of an unfinished run, for --resume; removed before the verdict is written. */
  public static final String JOURNAL = ".progress.json";
  public static final int FORMAT_VERSION = 2;
  /** Stage names become file names, so they are restricted to a safe alphabet. */
  public static final Pattern STAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  public static final int MAX_STAGES = 98;
  /**
   * The largest files a reader of a bundle takes whole; anything larger is not a bundle releasegate
   * wrote. A statement holds a stage's predicate (a scan's findings can run to megabytes).
   */
  public static final long MAX_INDEX_BYTES = 16L << 20;
  public static final long MAX_STATEMENT_BYTES = 64L << 20;
  public static final long MAX_KEY_BYTES = 64L << 10;
  public static final long MAX_SIGSTORE_BUNDLE_BYTES = 1L << 20;

  private EvidenceLayout() {}

  public static String statementPath(int position, String stageName) {
    if (position < 1 || position > MAX_STAGES || !STAGE_NAME.matcher(stageName).matches()) {
      throw new IllegalArgumentException("bad statement position or stage name: " + position + " " + stageName);
    }
    return String.format("%s/%02d-%s.dsse.json", STATEMENTS, position, stageName);
  }

  /** Keyless: the Sigstore bundle beside an envelope, {@code NN-stage.sigstore.json}. */
  public static String sigstoreBundlePath(String statementPath) {
    if (!statementPath.endsWith(".dsse.json")) {
      throw new IllegalArgumentException("not an envelope path: " + statementPath);
    }
    return statementPath.substring(0, statementPath.length() - ".dsse.json".length()) + ".sigstore.json";
  }

  public static String artifactFolder(String stageName) {
    return ARTIFACTS + "/" + stageName;
  }
}
