package dev.releasegate.cosign;

import dev.releasegate.base.Digests;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a {@code .sig} or {@code .att} manifest together with its blob: what is pushed when
 * signing, and what the registry code hands to the verifiers after a pull. For a fetched layer, the
 * descriptor is the one the manifest names; the verifiers check the blob against it.
 */
public record CosignLayer(LayerDescriptor descriptor, byte[] blob) {
  /** Base64 DER signature over the payload; empty for attestations, whose signature is in the envelope. */
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  /** PEM leaf certificate of a keyless signature. */
  public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
  /** PEM certificates from the leaf's issuer up to the root, one after the other. */
  public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
  /** The legacy Rekor bundle (SignedEntryTimestamp and Payload) as JSON, see {@link RekorBundle}. */
  public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
  /** The in-toto predicate type of an attestation layer. */
  public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";
  /** The media type of an attestation layer: the blob is a DSSE envelope (JSON). */
  public static final String DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";

  public CosignLayer {
    Objects.requireNonNull(descriptor, "descriptor");
    blob = blob.clone();
  }

  @Override
  public byte[] blob() {
    return blob.clone();
  }

  /**
   * A {@code .sig} layer as cosign's {@code static.NewSignature} makes it: blob = payload, media type
   * simple signing, annotation {@value #SIGNATURE_ANNOTATION} = standard base64 of the DER signature.
   */
  public static CosignLayer signature(byte[] payload, byte[] derSignature) {
    Objects.requireNonNull(derSignature, "derSignature");
    return of(SimpleSigningPayload.MEDIA_TYPE, payload,
        Map.of(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(derSignature)));
  }

  /**
   * A keyless {@code .sig} layer: as {@link #signature}, plus the certificate, chain and Rekor bundle
   * annotations cosign adds ({@code static.WithCertChain}, {@code static.WithBundle}).
   */
  public static CosignLayer keylessSignature(byte[] payload, KeylessSignature keyless) {
    Objects.requireNonNull(keyless, "keyless");
    Map<String, String> annotations = new HashMap<>();
    annotations.put(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(keyless.signature()));
    annotations.put(CERTIFICATE_ANNOTATION, keyless.certificatePem());
    annotations.put(CHAIN_ANNOTATION, keyless.chainPem());
    annotations.put(BUNDLE_ANNOTATION, keyless.rekorBundle().toAnnotation());
    return of(SimpleSigningPayload.MEDIA_TYPE, payload, annotations);
  }

  /**
   * An {@code .att} layer as {@code cosign attest} makes it: blob = the DSSE envelope JSON as given,
   * annotations {@value #SIGNATURE_ANNOTATION} = "" and {@value #PREDICATE_TYPE_ANNOTATION}.
   */
  public static CosignLayer attestation(byte[] envelopeJson, String predicateType) {
    Objects.requireNonNull(predicateType, "predicateType");
    return of(DSSE_MEDIA_TYPE, envelopeJson,
        Map.of(SIGNATURE_ANNOTATION, "", PREDICATE_TYPE_ANNOTATION, predicateType));
  }

  /**
   * An {@code .att} layer for an envelope signed with the run's key or, keylessly, with the certificate
   * and Rekor bundle of its Sigstore bundle in the annotations, as cosign writes them, so that the layer
   * verifies on its own.
   */
  public static CosignLayer attestation(byte[] envelopeJson, String predicateType, Optional<String> sigstoreBundle) throws IOException {
    CosignLayer layer = attestation(envelopeJson, predicateType);
    if (sigstoreBundle.isPresent()) {
      for (Map.Entry<String, String> annotation : KeylessSignature.attestationAnnotations(sigstoreBundle.get()).entrySet()) {
        layer = layer.withAnnotation(annotation.getKey(), annotation.getValue());
      }
    }
    return layer;
  }

  /** The same layer with one more (or a replaced) descriptor annotation. */
  public CosignLayer withAnnotation(String key, String value) {
    Map<String, String> annotations = new HashMap<>(descriptor.annotations());
    annotations.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new CosignLayer(
        new LayerDescriptor(descriptor.mediaType(), descriptor.digest(), descriptor.size(), annotations), blob);
  }

  private static CosignLayer of(String mediaType, byte[] blob, Map<String, String> annotations) {
    Objects.requireNonNull(blob, "blob");
    return new CosignLayer(
        new LayerDescriptor(mediaType, "sha256:" + Digests.sha256Hex(blob), blob.length, annotations), blob);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CosignLayer that && descriptor.equals(that.descriptor) && Arrays.equals(blob, that.blob);
  }

  @Override
  public int hashCode() {
    return 31 * descriptor.hashCode() + Arrays.hashCode(blob);
  }

  @Override
  public String toString() {
    return "CosignLayer[" + descriptor + "]";
  }
}
