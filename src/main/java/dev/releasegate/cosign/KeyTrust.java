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
    if (signer.isEmpty()) {
      return Outcome.failed("signature does not verify with " + describeKeys());
    }
    String keyId = PublicKeys.keyId(signer.get());
    String bundleAnnotation = annotations.get(CosignLayer.BUNDLE_ANNOTATION);
    if (bundleAnnotation == null || logs.isEmpty()) {
      return requireLogEntry
          ? Outcome.failed("no " + CosignLayer.BUNDLE_ANNOTATION + " annotation (transparency log entry required)")
          : Outcome.signedBy(keyId, OptionalLong.empty());
    }
    RekorBundle bundle;
    try {
      bundle = RekorBundle.parse(bundleAnnotation);
    } catch (IOException e) {
      return Outcome.failed(e.getMessage());
    }
    Optional<String> problem = RekorChecks.checkSet(logs.get(), bundle)
        .or(() -> RekorChecks.checkEntry(bundle.body(), signed, signature, PublicKeys.der(signer.get()), envelope));
    return problem.isPresent()
        ? Outcome.failed("rekor bundle: " + problem.get())
        : Outcome.signedBy(keyId, OptionalLong.of(bundle.integratedTime()));
  }

  /**
   * A DSSE bundle is checked as the {@code .att} layer cosign v2 would have written for it (its log
   * entry's promise as the Rekor bundle annotation); a message signature by {@link KeyBundleVerifier},
   * over the digest, with its log entry where there are log keys and the bundle has one or one is required.
   */
  @Override
  public Outcome checkBundle(SigstoreBundle bundle, String signedDigest) {
    if (bundle.keyless()) {
      return Outcome.failed("signed keylessly (a Fulcio certificate), not with a key");
    }
    if (bundle.envelope().isPresent()) {
      return checkEnvelope(bundle.envelope().get(),
          bundle.logEntry().map(entry -> Map.of(CosignLayer.BUNDLE_ANNOTATION, entry.toAnnotation())).orElse(Map.of()));
    }
    byte[] sha256 = HexFormat.of().parseHex(signedDigest.substring("sha256:".length()));
    boolean checkLog = logs.isPresent() && (requireLogEntry || bundle.logEntry().isPresent());
    Optional<Outcome> first = Optional.empty();
    for (PublicKey key : keys) {
      KeyBundleVerifier verifier = checkLog ? KeyBundleVerifier.forKey(key).withTransparencyLog(logs.get()) : KeyBundleVerifier.forKey(key);
      KeyBundleVerification verification = verifier.verifyDigest(sha256, bundle.json());
      Outcome outcome = verification.problem().map(Outcome::failed)
          .orElseGet(() -> Outcome.signedBy(PublicKeys.keyId(key), verification.integratedTime()));
      if (outcome.passed()) {
        return outcome;
      }
      first = first.or(() -> Optional.of(outcome));
    }
    return first.orElseThrow();
  }

  private String describeKeys() {
    if (keys.size() == 1) {
      return "key " + PublicKeys.keyId(keys.get(0));
    }
    return "any of keys " + keys.stream().map(PublicKeys::keyId).collect(Collectors.joining(", "));
  }
}
