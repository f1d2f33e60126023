package dev.releasegate.api;

import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.WrittenReference;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.ImageCheck;
import dev.releasegate.cosign.KeyTrust;
import dev.releasegate.cosign.KeylessTrust;
import dev.releasegate.cosign.SignatureTrust;
import dev.releasegate.cosign.TransparencyLogKeys;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.RegistrySettings;
import dev.releasegate.sign.PublicKeys;
import java.util.Locale;

/**
 * Verifies the cosign signatures and attestations of images in their registry, as {@code cosign verify}
 * and {@code cosign verify-attestation} do: whom it trusts and what it requires are fixed when it is made.
 */
final class ImageVerifier {
  private final Trust trust;
  private final ImageVerification options;

  ImageVerifier(Trust trust, ImageVerification options) {
    this.trust = trust;
    this.options = options;
  }

  private SignatureTrust signers() {
    if (trust instanceof Trust.Keyless keyless) {
      if (options.rekorPublicKey().isPresent()) {
        throw new InvalidInputException("a Rekor public key is for key trust; keylessly, the Rekor keys come from the trusted root");
      }
      return KeylessTrust.fromTrustedRoot(keyless.trustedRoot(), keyless.identity());
    }
    KeyTrust keys = KeyTrust.of(PublicKeys.read(((Trust.Key) trust).publicKey()));
    return options.rekorPublicKey()
        .map(rekor -> keys.withTransparencyLog(TransparencyLogKeys.of(PublicKeys.read(rekor))).requiringTransparencyLog())
        .orElse(keys);
  }

  /**
   * Reads everything about {@code reference} ({@code repository@sha256:…}) afresh, in both formats.
   *
   * @throws InvalidInputException for a reference without digest, an unreadable key or trusted root, or
   *     a Rekor key given for keyless trust
   * @throws EnvironmentException when the registry cannot be reached
   */
  ImageReport verify(String reference) {
    WrittenReference ref = pinned(reference);
    SignatureTrust signers = signers();
    RegistryAccess registry = RegistryAccess.open(ref.repository(), new RegistrySettings(options.insecureRegistry(), options.environment(), options.log()));
    try {
      ImageCheck.Result result = ImageCheck.run(new CosignRegistry(registry), options.signedIdentity().orElse(ref.repository()), ref.digest().get(),
          signers, options.requiredPredicateTypes());
      return new ImageReport(ref.repository() + "@" + ref.digest().get(),
          result.accepted().stream()
              .map(v -> new ImageReport.Verified(v.predicateType(), v.signer(), v.format().name().toLowerCase(Locale.ROOT), v.location()))
              .toList(),
          result.failures(), result.notes());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("interrupted while verifying " + ref, e);
    }
  }

  /** {@code reference} with its digest: an image is verified as it was released, never by a tag that may move. */
  static WrittenReference pinned(String reference) {
    WrittenReference ref = WrittenReference.parse(reference);
    if (ref.digest().isEmpty()) {
      throw new InvalidInputException(reference + " has no digest; verify an image as REPOSITORY@sha256:…, as it was released");
    }
    return ref;
  }
}
