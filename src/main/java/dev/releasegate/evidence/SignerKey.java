package dev.releasegate.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Key verification: the bundle's signer entry names the key it is verified with, and its {@code signer.pub}
 * is that key, so that a reader who takes the key from the bundle takes the right one.
 */
final class SignerKey {
  private final EnvelopeVerifier trust;
  private final EvidenceFolder folder;
  private final Problems problems;

  SignerKey(EnvelopeVerifier trust, EvidenceFolder folder, Problems problems) {
    this.trust = trust;
    this.folder = folder;
    this.problems = problems;
  }

  void check(JsonNode signer) {
    String keyId = signer.path("keyid").asText("");
    trust.expectedKeyId()
        .filter(expected -> !expected.equals(keyId))
        .ifPresent(expected -> problems.add(EvidenceLayout.INDEX, "signer", "the bundle names signer " + keyId + ", verification used key " + expected));
    Optional<String> pem = trust.expectedPublicKeyPem();
    if (pem.isPresent()) {
      String path = EvidenceLayout.SIGNER_PUBLIC_KEY;
      folder.read(path, "signer", EvidenceLayout.MAX_KEY_BYTES)
          .filter(bytes -> !Arrays.equals(bytes, pem.get().getBytes(StandardCharsets.UTF_8)))
          .ifPresent(bytes -> problems.add(path, "signer", "the key in the bundle is not the key used for verification"));
    }
  }
}
