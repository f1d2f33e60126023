package dev.releasegate.cosign;

import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.sign.Ecdsa;
import dev.releasegate.sign.PublicKeys;
import java.io.IOException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Trusts signatures by any of some ECDSA P-256 keys ({@code cosign verify --key}). With transparency
 * log keys, a {@value CosignLayer#BUNDLE_ANNOTATION} present is verified too: the SET, and that the
 * logged entry is this payload, signature and key (cosign's {@code VerifyBundle}).
 */
public final class KeyTrust implements SignatureTrust {
  private final List<PublicKey> keys;
  private final Optional<TransparencyLogKeys> logs;
  private final boolean requireLogEntry;

  private KeyTrust(List<PublicKey> keys, Optional<TransparencyLogKeys> logs, boolean requireLogEntry) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted key is needed");
    }
    keys.forEach(PublicKeys::keyId); // refuses anything but P-256 up front
    this.keys = List.copyOf(keys);
    this.logs = logs;
    this.requireLogEntry = requireLogEntry;
  }

  /** Rekor bundles are not checked. */
  public static KeyTrust of(List<PublicKey> keys) {
    return new KeyTrust(keys, Optional.empty(), false);
  }

  public static KeyTrust of(PublicKey... keys) {
    return of(List.of(keys));
  }

  /** Also verifies every Rekor bundle annotation present, against these logs. */
  public KeyTrust withTransparencyLog(TransparencyLogKeys logKeys) {
    return new KeyTrust(keys, Optional.of(Objects.requireNonNull(logKeys, "logKeys")), requireLogEntry);
  }

  /** Refuses a layer that has no Rekor bundle (needs {@link #withTransparencyLog}). */
  public KeyTrust requiringTransparencyLog() {
    if (logs.isEmpty()) {
      throw new IllegalStateException("requiring a log entry needs transparency log keys");
    }
    return new KeyTrust(keys, logs, true);
  }

  @Override
  public Outcome check(byte[] signed, byte[] signature, Map<String, String> annotations, Optional<DsseEnvelope> envelope) {
    Optional<PublicKey> signer = keys.stream().filter(key -> Ecdsa.verify(key, signed, signature)).findFirst();
    return signer.isEmpty()
        ? Outcome.failed("signature does not verify with " + describeKeys())
        : logged(signer.get(), Optional.ofNullable(annotations.get(CosignLayer.BUNDLE_ANNOTATION)),
            (body, der) -> RekorChecks.checkEntry(body, signed, signature, der, envelope));
  }

  @Override
  public Outcome checkBundle(SigstoreBundle bundle, String signedDigest) {
    if (bundle.keyless()) {
      return Outcome.failed("signed keylessly (a Fulcio certificate), not with a key");
    }
    Optional<String> logEntry = bundle.logEntry().map(RekorBundle::toAnnotation);
    if (bundle.envelope().isPresent()) {
      return checkEnvelope(bundle.envelope().get(), logEntry.map(entry -> Map.of(CosignLayer.BUNDLE_ANNOTATION, entry)).orElse(Map.of()));
    }
    SigstoreBundle.MessageSignature message = bundle.message().orElseThrow();
    byte[] sha256 = HexFormat.of().parseHex(signedDigest.substring("sha256:".length()));
    Optional<PublicKey> signer = keys.stream().filter(key -> Ecdsa.verifyDigest(key, sha256, message.signature())).findFirst();
    return signer.isEmpty()
        ? Outcome.failed("signature does not verify with " + describeKeys())
        : logged(signer.get(), logEntry, (body, der) -> RekorChecks.checkHashedRekord(body, sha256, message.signature(), der));
  }

  /** The signer's outcome once its log entry, when there is one to check, is this signature's. */
  private Outcome logged(PublicKey signer, Optional<String> bundleAnnotation, BiFunction<String, byte[], Optional<String>> entryCheck) {
    String keyId = PublicKeys.keyId(signer);
    if (bundleAnnotation.isEmpty() || logs.isEmpty()) {
      return requireLogEntry
          ? Outcome.failed("no " + CosignLayer.BUNDLE_ANNOTATION + " annotation (transparency log entry required)")
          : Outcome.signedBy(keyId, OptionalLong.empty());
    }
    RekorBundle bundle;
    try {
      bundle = RekorBundle.parse(bundleAnnotation.get());
    } catch (IOException e) {
      return Outcome.failed(e.getMessage());
    }
    Optional<String> problem = RekorChecks.checkSet(logs.get(), bundle).or(() -> entryCheck.apply(bundle.body(), PublicKeys.der(signer)));
    return problem.isPresent()
        ? Outcome.failed("rekor bundle: " + problem.get())
        : Outcome.signedBy(keyId, OptionalLong.of(bundle.integratedTime()));
  }

  private String describeKeys() {
    if (keys.size() == 1) {
      return "key " + PublicKeys.keyId(keys.get(0));
    }
    return "any of keys " + keys.stream().map(PublicKeys::keyId).collect(Collectors.joining(", "));
  }
}
