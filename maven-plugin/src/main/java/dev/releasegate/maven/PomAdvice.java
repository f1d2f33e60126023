package dev.releasegate.maven;

import dev.releasegate.base.ReleasegateException;
import dev.releasegate.base.Remedy;

/**
 * The library's remedies said with this plug-in's parameters, as the command line says them with its
 * flags: each as the pom's element and the user property that sets it from the command line.
 */
final class PomAdvice {
  private PomAdvice() {}

  /** {@code failure}'s message, its remedy said with parameters. */
  static String message(ReleasegateException failure) {
    return failure.remedy().map(remedy -> failure.problem() + "; " + of(remedy)).orElse(failure.problem());
  }

  static String of(Remedy remedy) {
    return switch (remedy) {
      case ALLOW_DIRTY -> "commit them, or set <allowDirty>true</allowDirty> (-Dreleasegate.allowDirty) to release anyway (the evidence records it)";
      case GIVE_VERSION -> "set <version> (-Dreleasegate.version=V); it defaults to the project's version";
      case CHOOSE_VERSION -> "set <version> (-Dreleasegate.version=V) to choose the release version";
      case NAME_RESUMED_RUN -> "name the run to resume: releasegate release --resume --evidence DIR";
      case START_AFRESH -> "release again into a new <evidence> folder";
      case NEW_EVIDENCE_FOLDER -> "choose a new <evidence> folder (-Dreleasegate.evidence=DIR)";
      case GIVE_IMAGE_REPOSITORY -> "set image.repository in the pipeline file, or <image> (-Dreleasegate.image=REPO)";
      case REPOSITORY_WITHOUT_TAG -> "set <image> as host/path without tag, e.g. 127.0.0.1:5000/hello-service";
      case GIVE_BASE_IMAGE -> "set image.base in the pipeline file, or <base> (-Dreleasegate.base=REF)";
      case GIVE_SIGNING_KEY -> "set <key> (-Dreleasegate.key=FILE); create one with 'releasegate keygen --output-prefix cosign'";
      case CREATE_SIGNING_KEY -> "create one with 'releasegate keygen --output-prefix cosign'";
      case SIGN_IN_WORKFLOW -> "run in a workflow with permissions: id-token: write, or sign with <key>";
      case ALLOW_PLAIN_HTTP -> "for a plain-HTTP loopback registry set <insecureRegistry>true</insecureRegistry> (-Dreleasegate.insecureRegistry)";
      case USE_HTTPS -> "leave out <insecureRegistry>";
    };
  }
}
