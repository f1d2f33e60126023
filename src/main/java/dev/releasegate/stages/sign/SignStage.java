package dev.releasegate.stages.sign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.cosign.AttachmentKind;
import dev.releasegate.cosign.CosignLayer;
import dev.releasegate.cosign.CosignManifest;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.DuplicateCheck;
import dev.releasegate.cosign.ImageSignatureVerifier;
import dev.releasegate.cosign.KeylessSignature;
import dev.releasegate.cosign.RekorBundle;
import dev.releasegate.cosign.SigstoreBundles;
import dev.releasegate.cosign.SimpleSigningPayload;
import dev.releasegate.evidence.Dsse;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.DsseSigner;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.spi.Outputs;
import dev.releasegate.spi.SignedStatement;
import dev.releasegate.spi.Signer;
import dev.releasegate.spi.Stage;
import dev.releasegate.spi.StageContext;
import dev.releasegate.spi.StageResult;
import dev.releasegate.stages.StageRegistries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signs the digest and attaches the run's statements about the image, in cosign's legacy tag format,
 * as Sigstore bundle referrers (cosign v3's format), or both ({@code format}).
 * Existing signatures stay; a valid signature by this key for this digest makes the stage add nothing,
 * and an envelope already attached is not attached twice.
 *
 * <p>Keyless, each attestation layer carries the certificate and Rekor bundle of its envelope's
 * signature, as cosign's do, so that it verifies on its own.
 *
 * <p>Only statements whose subject is the image digest are attached: cosign checks that an
 * attestation's subject names the image. The runner signs the statements from before the build again
 * about the image once it exists, so every gate's statement is among them.
 */
final class SignStage implements Stage {
  private final SignOptions options;

  SignStage(SignOptions options) {
    this.options = options;
  }

  @Override
  public StageResult run(StageContext context) throws InterruptedException {
    ImageReference image = context.output(Outputs.IMAGE);
    Signer signer = context.signer();
    RegistryAccess registry = RegistryAccess.open(image.repository(), StageRegistries.settings(context));
    CosignRegistry cosign = new CosignRegistry(registry);
    SignOptions.Format format = options.format();
    // Keyless signatures are message signatures over the DSSE PAE, logged as such: cosign v3 reads a
    // keyless bundle only with a DSSE log entry, which releasegate does not make yet.
    boolean keyless = context.statements().stream().anyMatch(statement -> statement.sigstoreBundle().isPresent());
    if (keyless && format == SignOptions.Format.BUNDLE) {
      throw new InvalidInputException("format: bundle needs key signing so far; sign keylessly with format: legacy or both");
    }
    ObjectNode predicate = Json.object();
    predicate.put("image", image.toString());
    predicate.put("keyid", signer.keyId());
    predicate.put("format", format.text());
    StageResult.Builder result = StageResult.passed("signed " + image + " with key " + signer.keyId());
    try {
      if (format != SignOptions.Format.BUNDLE) {
        predicate.set("signature", sign(context, cosign, image, signer));
        if (options.attest()) {
          predicate.set("attestations", attest(context, cosign, image));
        }
      }
      if (format == SignOptions.Format.BUNDLE || (format == SignOptions.Format.BOTH && !keyless)) {
        predicate.set("bundles", bundles(context, registry, image, signer));
      } else if (keyless) {
        result.warning("keyless: written in cosign's legacy tags only (Sigstore bundles need key signing so far); cosign v3 falls back"
            + " to them where it finds no bundle");
      }
    } catch (IOException e) {
      throw new EnvironmentException("cannot add to the cosign attachments of " + image + ": " + e.getMessage(), e);
    }
    return result.predicate(predicate).build();
  }

  /**
   * The signature and the attestations as Sigstore bundles referring to the image, as cosign v3 writes
   * them with a key: the signature is cosign's sign statement in a DSSE envelope, each attestation the
   * run's own envelope. Each is added only when no bundle of the same statement by this key is there.
   */
  private ObjectNode bundles(StageContext context, RegistryAccess registry, ImageReference image, Signer signer)
      throws IOException, InterruptedException {
    ObjectNode result = Json.object().put("artifactType", SigstoreBundles.ARTIFACT_TYPE);
    ArrayNode list = result.putArray("referrers");
    SigstoreBundles.Writer writer = new SigstoreBundles.Writer(registry, image.digest(), signer.publicKey(), context.clock().instant());
    DsseEnvelope signature = new DsseSigner(signer).sign(Dsse.IN_TOTO_PAYLOAD_TYPE, SigstoreBundles.signStatement(image.digest())).envelope();
    context.progress("writing the signature and attestations as Sigstore bundle referrers");
    added(list, "signature", SigstoreBundles.COSIGN_SIGN_PREDICATE, writer.attach(signature, SigstoreBundles.COSIGN_SIGN_PREDICATE));
    if (options.attest()) {
      for (SignedStatement statement : context.statements()) {
        if (statement.aboutImage()) {
          added(list, statement.stage(), statement.predicateType(), writer.attach(DsseEnvelope.parse(statement.envelope()), statement.predicateType()));
        }
      }
    }
    return result;
  }

  private static void added(ArrayNode list, String what, String predicateType, Optional<String> manifest) {
    ObjectNode entry = list.addObject().put("of", what).put("predicateType", predicateType).put("added", manifest.isPresent());
    manifest.ifPresent(digest -> entry.put("manifestDigest", digest));
  }

  private ObjectNode sign(StageContext context, CosignRegistry cosign, ImageReference image, Signer signer)
      throws IOException, InterruptedException {
    byte[] payload = SimpleSigningPayload.forImage(image.repository(), image.digest()).bytes();
    Optional<CosignRegistry.Attached> existing = cosign.read(AttachmentKind.SIGNATURES, image.digest());
    ObjectNode result = Json.object().put("tag", AttachmentKind.SIGNATURES.tag(image.digest()));
    boolean alreadySigned = existing.isPresent()
        && !ImageSignatureVerifier.forKeys(signer.publicKey()).verify(image.repository(), image.digest(), existing.get().layers()).accepted().isEmpty();
    if (alreadySigned) {
      context.progress("a signature by key " + signer.keyId() + " is already there");
      return result.put("added", false).put("existingLayers", existing.get().layers().size());
    }
    Signer.Signature signature = signer.signWithProof(payload);
    CosignLayer layer = signature.keyless().isPresent()
        ? CosignLayer.keylessSignature(payload, keyless(signature))
        : CosignLayer.signature(payload, signature.der());
    CosignManifest base = existing.map(CosignRegistry.Attached::manifest).orElseGet(() -> CosignManifest.empty(AttachmentKind.SIGNATURES));
    CosignManifest manifest = base.append(layer, DuplicateCheck.identical()).manifest();
    context.progress("writing " + AttachmentKind.SIGNATURES.tag(image.digest()));
    cosign.write(image.digest(), manifest, List.of(layer));
    return result.put("added", true)
        .put("payloadDigest", layer.descriptor().digest())
        .put("existingLayers", existing.map(found -> found.layers().size()).orElse(0))
        .put("manifestDigest", manifest.digest());
  }

  /** Keyless: the certificate, chain and Rekor bundle go into the layer's annotations, as cosign writes them. */
  private static KeylessSignature keyless(Signer.Signature signature) throws IOException {
    Signer.KeylessProof proof = signature.keyless().orElseThrow();
    return new KeylessSignature(signature.der(), proof.certificatePem(), proof.chainPem(), RekorBundle.parse(proof.rekorBundleJson()),
        proof.sigstoreBundleJson());
  }

  private ObjectNode attest(StageContext context, CosignRegistry cosign, ImageReference image) throws IOException, InterruptedException {
    Optional<CosignRegistry.Attached> existing = cosign.read(AttachmentKind.ATTESTATIONS, image.digest());
    CosignManifest manifest = existing.map(CosignRegistry.Attached::manifest).orElseGet(() -> CosignManifest.empty(AttachmentKind.ATTESTATIONS));
    ObjectNode result = Json.object().put("tag", AttachmentKind.ATTESTATIONS.tag(image.digest()));
    ArrayNode list = result.putArray("statements");
    List<CosignLayer> added = new ArrayList<>();
    for (SignedStatement statement : context.statements()) {
      if (!statement.aboutImage()) {
        continue;
      }
      CosignLayer layer = CosignLayer.attestation(statement.envelope(), statement.predicateType(), statement.sigstoreBundle());
      CosignManifest.Appended appended = manifest.append(layer, DuplicateCheck.identical());
      manifest = appended.manifest();
      if (appended.changed()) {
        added.add(layer);
      }
      list.addObject()
          .put("stage", statement.stage())
          .put("predicateType", statement.predicateType())
          .put("layerDigest", layer.descriptor().digest())
          .put("added", appended.changed());
    }
    if (!added.isEmpty()) {
      context.progress("writing " + AttachmentKind.ATTESTATIONS.tag(image.digest()));
      cosign.write(image.digest(), manifest, added);
    }
    return result;
  }
}
