package dev.releasegate.cosign;

/**
 * Signs payload bytes keylessly: an ephemeral key, a short-lived Fulcio certificate for the CI
 * identity, and a Rekor entry, returned in the form cosign stores beside a {@code .sig} layer. The seam
 * between the sign stage and Sigstore's services; {@link SigstoreKeylessSigning} is the implementation.
 */
public interface KeylessSigning {

  /**
   * Signs {@code payload} (the signature is ECDSA P-256 over its SHA-256, as cosign's).
   *
   * @throws dev.releasegate.base.EnvironmentException when no identity token can be had or Fulcio or
   *     Rekor cannot be reached or answer inconsistently
   */
  KeylessSignature sign(byte[] payload);
}
