package dev.releasegate.base;

/**
 * What a user can do about a refusal, as a value a front end can say in its own terms: the command line
 * names its flags, where the library's {@link #advice} says the same without them (an embedder has no
 * flags). A {@link ReleasegateException} that carries one ends its message with that advice.
 */
public enum Remedy {
  /** The work tree has uncommitted changes. */
  ALLOW_DIRTY("commit them, or allow a dirty work tree to release anyway (the evidence records it)"),
  /** No version given and no tag on HEAD. */
  GIVE_VERSION("give the release version, or tag HEAD (e.g. git tag v1.0.0)"),
  /** HEAD has several tags. */
  CHOOSE_VERSION("give the release version to choose one"),
  /** A resume with no evidence folder, and no earlier run to find. */
  NAME_RESUMED_RUN("name the evidence folder of the run to resume"),
  /** The named run cannot be resumed. */
  START_AFRESH("release without resuming, into a new evidence folder"),
  /** The evidence folder, or what a run writes beside it, cannot be used. */
  NEW_EVIDENCE_FOLDER("choose a new evidence folder"),
  /** A stage builds an image, and nothing says where it goes. */
  GIVE_IMAGE_REPOSITORY("set image.repository in the pipeline file, or give the release one"),
  /** An image repository with a tag, or not host/path. */
  REPOSITORY_WITHOUT_TAG("give it as host/path without tag, e.g. 127.0.0.1:5000/hello-service"),
  /** Nothing says what the image is built on. */
  GIVE_BASE_IMAGE("set image.base in the pipeline file, or give the release one"),
  /** Neither a key file nor keyless signing. */
  GIVE_SIGNING_KEY("give a cosign private key file, e.g. of a new key pair"),
  /** The key file named does not exist. */
  CREATE_SIGNING_KEY("create one, a new cosign key pair"),
  /** Keyless signing outside a GitHub Actions job that may ask for an identity token. */
  SIGN_IN_WORKFLOW("run in a workflow with permissions: id-token: write, or sign with a key file"),
  /** A registry that speaks only plain HTTP. */
  ALLOW_PLAIN_HTTP("for a plain-HTTP loopback registry allow plain HTTP"),
  /** Plain HTTP asked for a registry that is not on loopback. */
  USE_HTTPS("reach it over HTTPS");

  private final String advice;

  Remedy(String advice) {
    this.advice = advice;
  }

  /** The remedy in the library's words, as it ends a message: lower case, no flags. */
  public String advice() {
    return advice;
  }
}
