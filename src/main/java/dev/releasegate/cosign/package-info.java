/**
 * cosign-compatible signing and verification. Formats and checks take and return bytes;
 * {@link dev.releasegate.cosign.CosignRegistry} and {@link dev.releasegate.cosign.SigstoreBundles} read and
 * write them through {@code registry}. It may import {@code base}, {@code evidence}, {@code registry},
 * {@code sign} and {@code spi}.
 *
 * <ul>
 *   <li>{@link dev.releasegate.cosign.SimpleSigningPayload}: the payload cosign signs for an image,
 *       written byte for byte as Go writes it, read as strictly as containers/image reads it.
 *   <li>{@link dev.releasegate.cosign.CosignManifest}, {@link dev.releasegate.cosign.CosignLayer},
 *       {@link dev.releasegate.cosign.AttachmentKind}, {@link dev.releasegate.cosign.DuplicateCheck}:
 *       the {@code sha256-<hex>.sig} / {@code .att} manifests and config blobs of cosign's legacy tag
 *       scheme; appending keeps old layers and leaves out a layer that is already there.
 *   <li>{@link dev.releasegate.cosign.ImageSignatureVerifier} and
 *       {@link dev.releasegate.cosign.AttestationVerifier}: offline verification of fetched layers,
 *       with a {@link dev.releasegate.cosign.SignatureTrust}: trusted keys, optionally with the Rekor
 *       bundle ({@link dev.releasegate.cosign.KeyTrust}, {@link dev.releasegate.cosign.RekorBundle},
 *       {@link dev.releasegate.cosign.TransparencyLogKeys}), or a keyless identity against a trusted
 *       root ({@link dev.releasegate.cosign.KeylessTrust}).
 *   <li>{@link dev.releasegate.cosign.KeylessBundleVerifier}: Sigstore bundles with Fulcio certificates,
 *       through sigstore-java; {@link dev.releasegate.cosign.KeyBundleVerifier}: Sigstore bundles with a
 *       plain public key, which sigstore-java refuses.
 *   <li>{@link dev.releasegate.cosign.SigstoreBundles}, {@link dev.releasegate.cosign.SigstoreBundle} and
 *       {@link dev.releasegate.cosign.ImageCheck}: Sigstore bundles as OCI 1.1 referrers of an image (cosign
 *       v3's format), read and written, and the check of an image in both formats.
 *   <li>{@link dev.releasegate.cosign.KeylessSigning}: the keyless signing seam, implemented by
 *       {@link dev.releasegate.cosign.SigstoreKeylessSigning} with sigstore-java.
 * </ul>
 *
 * Verification results list every problem as one short line; they never throw for a bad signature.
 * Bad arguments (a malformed digest, a non-P-256 key) are programming errors and throw
 * {@link java.lang.IllegalArgumentException}; bad user files throw
 * {@link dev.releasegate.base.InvalidInputException}; unreachable services throw
 * {@link dev.releasegate.base.EnvironmentException}.
 */
package dev.releasegate.cosign;
