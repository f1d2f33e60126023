package dev.releasegate.cosign;

import java.util.Objects;

/**
 * The two things cosign attaches to an image under its legacy tag scheme, which cosign 2.x, cosign 3
 * (as a fallback) and containers/image read: signatures under {@code sha256-<hex>.sig}, attestations
 * under {@code sha256-<hex>.att} (cosign {@code pkg/oci/remote/remote.go}, {@code normalize}).
 */
public enum AttachmentKind {
  SIGNATURES("sig", SimpleSigningPayload.MEDIA_TYPE),
  ATTESTATIONS("att", CosignLayer.DSSE_MEDIA_TYPE);

  private final String suffix;
  private final String layerMediaType;

  AttachmentKind(String suffix, String layerMediaType) {
    this.suffix = suffix;
    this.layerMediaType = layerMediaType;
  }

  /** The media type every layer of this kind of manifest has. */
  public String layerMediaType() {
    return layerMediaType;
  }

  /** {@code sha256:abc…} → {@code sha256-abc….sig} (or {@code .att}): the tag in the image's repository. */
  public String tag(String imageDigest) {
    Objects.requireNonNull(imageDigest, "imageDigest");
    if (!LayerDescriptor.SHA256_DIGEST.matcher(imageDigest).matches()) {
      throw new IllegalArgumentException("digest must be sha256:<64 hex>: " + imageDigest);
    }
    return "sha256-" + imageDigest.substring("sha256:".length()) + "." + suffix;
  }
}
