package dev.releasegate.cli;

import dev.releasegate.base.ReleasegateException;
import dev.releasegate.base.Remedy;
import java.util.Optional;

/**
 * The library's remedies said with this command line's flags. The library names no flag (an embedder
 * has none); what a user of the command line reads is decided here, as jib keeps its advice in its plug-ins.
 */
final class Advice {
  private Advice() {}

  /** {@code failure}'s message, its remedy said with flags. */
  static String message(ReleasegateException failure) {
    return say(failure.problem(), failure.remedy());
  }

  /** {@code problem}, then what to do about it with flags, if anything. */
  static String say(String problem, Optional<Remedy> remedy) {
    return remedy.map(value -> problem + "; " + of(value)).orElse(problem);
  }

  static String of(Remedy remedy) {
    return switch (remedy) {
      case ALLOW_DIRTY -> "commit them, or pass --allow-dirty to release anyway (the evidence records it)";
      case GIVE_VERSION -> "pass --version V, or tag HEAD (e.g. git tag v1.0.0)";
      case CHOOSE_VERSION -> "pass --version to choose the release version";
      case NAME_RESUMED_RUN -> "name it with --evidence DIR";
      case START_AFRESH -> "release without --resume into a new --evidence folder";
      case NEW_EVIDENCE_FOLDER -> "choose a new --evidence folder";
      case GIVE_IMAGE_REPOSITORY -> "set image.repository in the pipeline file, or pass --image REPO";
      case REPOSITORY_WITHOUT_TAG -> "pass --image as host/path without tag, e.g. 127.0.0.1:5000/hello-service";
      case GIVE_BASE_IMAGE -> "set image.base in the pipeline file, or pass --base REF";
      case GIVE_SIGNING_KEY -> "pass --key FILE (create one with 'releasegate keygen --output-prefix cosign')";
      case CREATE_SIGNING_KEY -> "create one with 'releasegate keygen --output-prefix cosign'";
      case SIGN_IN_WORKFLOW -> "run in a workflow with permissions: id-token: write, or sign with --key";
      case ALLOW_PLAIN_HTTP -> "for a plain-HTTP loopback registry pass --insecure-registry";
      case USE_HTTPS -> "leave out --insecure-registry";
    };
  }
}
