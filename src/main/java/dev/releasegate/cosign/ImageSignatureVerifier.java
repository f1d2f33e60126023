package dev.releasegate.cosign;

import dev.releasegate.base.Digests;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Verifies the layers of an image's {@code .sig} manifest, offline, the way {@code cosign verify} and
 * containers/image's {@code sigstoreSigned} policy do, with a {@link SignatureTrust}: trusted keys
 * ({@code --key}) or a keyless identity ({@code --certificate-identity}).
 *
 * <p>Per layer, in this order (the signature is checked before the untrusted payload is even parsed,
 * as containers/image does): the media type; the blob against the layer digest and size; the
 * {@value CosignLayer#SIGNATURE_ANNOTATION} annotation (standard base64 of a DER ECDSA signature); the
 * signer, by the trust (signature, certificate, Rekor bundle); the payload, parsed strictly
 * ({@link SimpleSigningPayload#parse}); its digest against the image digest; and its
 * {@code docker-reference} against the repository.
 *
 * <p>The reference check compares repositories only, ignoring a tag in the payload, after Docker
 * normalization: the rule containers/image applies to a digest reference ({@code matchRepoDigestOrExact}),
 * and the reason a payload written by skopeo for {@code repo:tag} verifies for {@code repo@digest}. cosign
 * itself does not check the reference at all; an image copied to another repository keeps verifying
 * there only if the caller passes the repository the payload names.
 */
public final class ImageSignatureVerifier {
  private final SignatureTrust trust;

  private ImageSignatureVerifier(SignatureTrust trust) {
    this.trust = Objects.requireNonNull(trust, "trust");
  }

  public static ImageSignatureVerifier trusting(SignatureTrust trust) {
    return new ImageSignatureVerifier(trust);
  }

  /** Trusts signatures by any of these ECDSA P-256 keys; Rekor bundles are not checked. */
  public static ImageSignatureVerifier forKeys(PublicKey... keys) {
    return new ImageSignatureVerifier(KeyTrust.of(keys));
  }

  /**
   * Checks every layer.
   *
   * @param repository the image repository, e.g. {@code 127.0.0.1:5000/hello}
   * @param imageDigest the image manifest digest, {@code sha256:…}
   * @param layers the {@code .sig} layers with their blobs, in manifest order; empty if there is no tag
   */
  public SignatureVerification verify(String repository, String imageDigest, List<CosignLayer> layers) {
    Objects.requireNonNull(imageDigest, "imageDigest");
    if (!LayerDescriptor.SHA256_DIGEST.matcher(imageDigest).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + imageDigest);
    }
    String repositoryName = DockerReference.parse(Objects.requireNonNull(repository, "repository")).name();
    List<SignatureVerification.SignatureCheck> checks = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      checks.add(check(i + 1, repository, repositoryName, imageDigest, layers.get(i)));
    }
    return new SignatureVerification(imageDigest, checks);
  }

  private SignatureVerification.SignatureCheck check(int index, String repository, String repositoryName, String imageDigest, CosignLayer layer) {
    LayerDescriptor descriptor = layer.descriptor();
    if (!descriptor.mediaType().equals(SimpleSigningPayload.MEDIA_TYPE)) {
      return failed(index, "media type " + descriptor.mediaType() + " is not " + SimpleSigningPayload.MEDIA_TYPE);
    }
    byte[] payload = layer.blob();
    String payloadDigest = "sha256:" + Digests.sha256Hex(payload);
    if (!payloadDigest.equals(descriptor.digest())) {
      return failed(index, "payload digest " + payloadDigest + " does not match layer digest " + descriptor.digest());
    }
    if (payload.length != descriptor.size()) {
      return failed(index, "payload is " + payload.length + " bytes, layer size is " + descriptor.size());
    }
    String encoded = descriptor.annotations().get(CosignLayer.SIGNATURE_ANNOTATION);
    if (encoded == null) {
      return failed(index, "no " + CosignLayer.SIGNATURE_ANNOTATION + " annotation");
    }
    if (encoded.isEmpty()) {
      // What an attestation layer carries; a signature layer without a signature is not one.
      return failed(index, "empty " + CosignLayer.SIGNATURE_ANNOTATION + " annotation");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return failed(index, "signature annotation is not standard base64");
    }
    if (!DerSignatures.isEcdsaDer(signature)) {
      return failed(index, "signature is not an ASN.1 DER ECDSA signature");
    }
    SignatureTrust.Outcome signer = trust.check(payload, signature, descriptor.annotations(), Optional.empty());
    if (!signer.passed()) {
      return failed(index, signer.problem().get());
    }

    SimpleSigningPayload parsed;
    try {
      parsed = SimpleSigningPayload.parse(payload);
    } catch (IOException e) {
      return failed(index, e.getMessage());
    }
    if (!parsed.manifestDigest().equals(imageDigest)) {
      return failed(index, "payload names " + parsed.manifestDigest() + ", image is " + imageDigest);
    }
    String signedName;
    try {
      signedName = DockerReference.parse(parsed.dockerReference()).name();
    } catch (IllegalArgumentException e) {
      return failed(index, "payload docker-reference \"" + parsed.dockerReference() + "\" is not a docker reference");
    }
    if (!signedName.equals(repositoryName)) {
      return failed(index, "payload names repository " + parsed.dockerReference() + ", image is in " + repository);
    }

    return new SignatureVerification.SignatureCheck(index, Optional.empty(), signer.signer(), signer.integratedTime());
  }

  private static SignatureVerification.SignatureCheck failed(int index, String problem) {
    return new SignatureVerification.SignatureCheck(index, Optional.of(problem), Optional.empty(), OptionalLong.empty());
  }
}
