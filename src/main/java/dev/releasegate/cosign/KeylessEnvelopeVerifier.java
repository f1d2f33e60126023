package dev.releasegate.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.BoundedFiles;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EnvelopeVerifier;
import dev.releasegate.evidence.EvidenceLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Trusts an evidence bundle signed keylessly by one identity: each envelope's signature must be the
 * message signature of the Sigstore bundle beside it, made over the envelope's PAE, and that bundle must
 * verify offline against the trusted root for the expected certificate identity and OIDC issuer.
 */
public final class KeylessEnvelopeVerifier implements EnvelopeVerifier {

  @Override
  public boolean keyless() {
    return true;
  }
  private final KeylessBundleVerifier verifier;
  private final KeylessIdentity identity;

  public KeylessEnvelopeVerifier(KeylessBundleVerifier verifier, KeylessIdentity identity) {
    this.verifier = verifier;
    this.identity = identity;
  }

  @Override
  public Optional<String> check(Path file, DsseEnvelope envelope) {
    String name = file.getFileName().toString();
    Path sidecar = file.resolveSibling(EvidenceLayout.sigstoreBundlePath(name));
    if (!Files.isRegularFile(sidecar, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of("no Sigstore bundle " + sidecar.getFileName() + " beside it");
    }
    byte[] bundle;
    try {
      bundle = BoundedFiles.read(sidecar, EvidenceLayout.MAX_SIGSTORE_BUNDLE_BYTES);
      JsonNode signature = Json.parse(bundle).at("/messageSignature/signature");
      if (!signature.isTextual() || envelope.signatures().size() != 1
          || !Arrays.equals(Base64.getDecoder().decode(signature.textValue()), envelope.signatures().get(0).sig())) {
        return Optional.of("its signature is not the one in " + sidecar.getFileName());
      }
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of(sidecar.getFileName() + " is not a Sigstore bundle: " + e.getMessage());
    }
    KeylessVerification verification = verifier.verifyArtifact(envelope.pae(), bundle, identity);
    return verification.problem().map(problem -> sidecar.getFileName() + ": " + problem);
  }

  @Override
  public Optional<String> expectedKeyId() {
    return Optional.empty();
  }

  @Override
  public Optional<String> expectedPublicKeyPem() {
    return Optional.empty();
  }
}
