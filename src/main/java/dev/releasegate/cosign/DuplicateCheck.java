package dev.releasegate.cosign;

import dev.releasegate.sign.Ecdsa;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a layer already in a {@code .sig}/{@code .att} manifest makes a new one redundant, so
 * that signing the same digest twice does not grow the manifest. {@link CosignManifest#append} asks only
 * about existing layers with the same blob digest and media type as the new one; the caller picks the
 * rule, because ECDSA signatures are randomized and "the same signature" is rarely byte-identical.
 */
@FunctionalInterface
public interface DuplicateCheck {

  /** True when {@code existing} (same digest and media type as {@code candidate}) makes it redundant. */
  boolean isDuplicate(LayerDescriptor existing, CosignLayer candidate);

  /** Redundant only if every annotation is identical too: same payload, same signature bytes. */
  static DuplicateCheck identical() {
    return (existing, candidate) -> existing.annotations().equals(candidate.descriptor().annotations());
  }

  /**
   * cosign's rule ({@code pkg/cosign/remote}, {@code dd.Find}): redundant if the existing layer has every
   * annotation of the new one with the same value (the signature annotation aside), and its signature
   * verifies the same payload with {@code key}: the key already signed this payload.
   */
  static DuplicateCheck sameKey(PublicKey key) {
    Objects.requireNonNull(key, "key");
    return (existing, candidate) -> {
      for (Map.Entry<String, String> annotation : candidate.descriptor().annotations().entrySet()) {
        if (annotation.getKey().equals(CosignLayer.SIGNATURE_ANNOTATION)) {
          continue;
        }
        if (!annotation.getValue().equals(existing.annotations().get(annotation.getKey()))) {
          return false;
        }
      }
      String existingSignature = existing.annotations().get(CosignLayer.SIGNATURE_ANNOTATION);
      if (existingSignature == null || existingSignature.isEmpty()) {
        return false;
      }
      byte[] signature;
      try {
        signature = Base64.getDecoder().decode(existingSignature);
      } catch (IllegalArgumentException e) {
        return false;
      }
      return Ecdsa.verify(key, candidate.blob(), signature);
    };
  }
}
