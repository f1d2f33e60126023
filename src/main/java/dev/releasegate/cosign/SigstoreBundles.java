package dev.releasegate.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.base.ReleasegateException;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.KeyEnvelopeVerifier;
import dev.releasegate.registry.Descriptor;
import dev.releasegate.registry.Referrers;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.sign.PublicKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sigstore bundles attached to an image as OCI 1.1 referrers, as cosign v3 writes them by default
 * (and GitHub's attest action with {@code push-to-registry}): a manifest of artifact type
 * {@value #ARTIFACT_TYPE} whose {@code subject} is the image and whose one layer is the bundle. They
 * are found through the registry's referrers API, or its {@code sha256-<hex>} referrers tag where it
 * has none.
 *
 * <p>cosign v3 signs an image with a DSSE bundle too: its "signature" is a statement of predicate type
 * {@value #COSIGN_SIGN_PREDICATE} about the digest. A message-signature bundle over the image digest is a
 * signature as well. {@link ImageCheck} verifies what is found here.
 */
public final class SigstoreBundles {
  public static final String ARTIFACT_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  /** The predicate type of cosign v3's image signature. */
  public static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  /** cosign's hint on the referrer manifest; the signed statement decides, as with {@code .att} layers. */
  static final String PREDICATE_TYPE_ANNOTATION = "dev.sigstore.bundle.predicateType";
  /** A bundle is a few KiB; more is not one to trust. */
  private static final long MAX_BUNDLE_BYTES = 8L << 20;

  private SigstoreBundles() {}

  /**
   * One referrer of the bundle type.
   *
   * @param manifest the referrer manifest's digest, by which messages name it
   * @param bundle the bundle it holds; empty when it could not be read
   * @param problem why it could not be read
   */
  public record Found(String manifest, Optional<SigstoreBundle> bundle, Optional<String> problem) {
    public Found {
      if (bundle.isPresent() == problem.isPresent()) {
        throw new IllegalArgumentException("a bundle is either read or says why not");
      }
    }

    static Found unreadable(String manifest, String problem) {
      return new Found(manifest, Optional.empty(), Optional.of(problem));
    }
  }

  /** Every bundle referrer of {@code imageDigest}, in the order the registry lists them. */
  public static List<Found> read(RegistryAccess registry, String imageDigest) throws IOException, InterruptedException {
    List<Found> found = new ArrayList<>();
    for (Descriptor referrer : new Referrers(registry).list(imageDigest, ARTIFACT_TYPE)) {
      try {
        found.add(read(registry, imageDigest, referrer.digest()));
      } catch (ReleasegateException e) {
        // Anyone who may push may add a referrer: one that cannot be read is named, and the others still count.
        found.add(Found.unreadable(referrer.digest(), e.getMessage()));
      }
    }
    return found;
  }

  private static Found read(RegistryAccess registry, String imageDigest, String manifestDigest) throws InterruptedException {
    Optional<RegistryAccess.ManifestBytes> manifestBytes = registry.manifestBytes(manifestDigest);
    if (manifestBytes.isEmpty()) {
      return Found.unreadable(manifestDigest, "listed as a referrer, but the registry has no such manifest");
    }
    JsonNode manifest;
    try {
      manifest = Json.parse(manifestBytes.get().bytes());
    } catch (IOException e) {
      return Found.unreadable(manifestDigest, "the manifest is not JSON");
    }
    String subject = manifest.at("/subject/digest").asText("");
    if (!subject.equals(imageDigest)) {
      return Found.unreadable(manifestDigest, "refers to " + (subject.isEmpty() ? "no subject" : subject) + ", not " + imageDigest);
    }
    JsonNode layers = manifest.path("layers");
    if (!layers.isArray() || layers.size() != 1 || !ARTIFACT_TYPE.equals(layers.get(0).path("mediaType").asText())) {
      return Found.unreadable(manifestDigest, "has not exactly one layer of media type " + ARTIFACT_TYPE);
    }
    JsonNode layer = layers.get(0);
    if (layer.path("size").asLong(-1) < 0 || layer.path("size").asLong() > MAX_BUNDLE_BYTES) {
      return Found.unreadable(manifestDigest, "its bundle is " + layer.path("size").asText("?") + " bytes; at most " + MAX_BUNDLE_BYTES + " are read");
    }
    if (!layer.path("digest").asText("").matches("sha256:[0-9a-f]{64}")) {
      return Found.unreadable(manifestDigest, "its layer has no sha256 digest");
    }
    byte[] bundle = registry.readBlob(layer.path("digest").asText(), MAX_BUNDLE_BYTES);
    try {
      return new Found(manifestDigest, Optional.of(SigstoreBundle.parse(bundle, manifest.at("/annotations/" + PREDICATE_TYPE_ANNOTATION).asText(""))),
          Optional.empty());
    } catch (IOException e) {
      return Found.unreadable(manifestDigest, e.getMessage());
    }
  }

  /** The statement cosign v3 signs an image digest with, byte for byte as cosign writes it. */
  public static byte[] signStatement(String imageDigest) {
    return ("{\"_type\":\"https://in-toto.io/Statement/v1\", \"subject\":[{\"digest\":{\"sha256\":\"" + imageDigest.substring("sha256:".length())
        + "\"}, \"annotations\":{}}], \"predicateType\":\"" + COSIGN_SIGN_PREDICATE + "\", \"predicate\":{}}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A bundle of a key-signed envelope, as cosign v3 writes one without a transparency log: the key's
   * hint (base64 of the sha256 of its DER form) and the envelope.
   */
  public static byte[] keyBundle(PublicKey key, DsseEnvelope envelope) {
    ObjectNode bundle = Json.object().put("mediaType", ARTIFACT_TYPE);
    bundle.putObject("verificationMaterial").putObject("publicKey")
        .put("hint", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(PublicKeys.keyId(key))));
    // Without key ids: sigstore-go skips a signature whose keyid is not its own computation of one
    // (securesystemslib's), which no DER fingerprint is. The signature covers the PAE, not the keyid.
    DsseEnvelope anonymous = new DsseEnvelope(envelope.payloadType(), envelope.payload(),
        envelope.signatures().stream().map(signature -> new DsseEnvelope.Signature(Optional.empty(), signature.sig())).toList());
    bundle.set("dsseEnvelope", anonymous.toJson());
    return Json.compact(bundle);
  }

  /**
   * Writes key-signed envelopes as bundle referrers of one image, with cosign's annotations, each only
   * when no bundle of the same statement that verifies with the key is there (re-running adds nothing).
   * What is there is read once, when the writer is made.
   */
  public static final class Writer {
    private final RegistryAccess registry;
    private final String imageDigest;
    private final PublicKey key;
    private final Instant created;
    private final List<byte[]> present = new ArrayList<>();
    private final boolean anyBundle;
    /** The image as a referrer names it, read at the first bundle added: one request, not one per bundle. */
    private Descriptor subject;

    public Writer(RegistryAccess registry, String imageDigest, PublicKey key, Instant created) throws IOException, InterruptedException {
      this.registry = registry;
      this.imageDigest = imageDigest;
      this.key = key;
      this.created = created.truncatedTo(ChronoUnit.SECONDS);
      KeyEnvelopeVerifier verifier = new KeyEnvelopeVerifier(key);
      List<Found> bundles = read(registry, imageDigest);
      this.anyBundle = !bundles.isEmpty();
      for (Found found : bundles) {
        Optional<DsseEnvelope> existing = found.bundle().flatMap(SigstoreBundle::envelope);
        if (existing.isPresent() && verifier.check(existing.get()).isEmpty()) {
          present.add(existing.get().payload());
        }
      }
    }

    /** Whether any Sigstore bundle refers to the image, by any signer: then cosign v3 reads bundles and not the tags. */
    public boolean imageHasBundles() {
      return anyBundle;
    }

    /**
     * Whether the image is signed in this format with the key: a bundle of cosign's sign statement
     * about it. Readers that find bundles (cosign v3) ignore the legacy tags, so what follows the
     * signature (the verdict) must be written beside it.
     */
    public boolean signsImage() {
      byte[] statement = signStatement(imageDigest);
      return present.stream().anyMatch(payload -> Arrays.equals(payload, statement));
    }

    /** @return the referrer manifest's digest, when one was added */
    public Optional<String> attach(DsseEnvelope envelope, String predicateType) throws InterruptedException {
      if (present.stream().anyMatch(payload -> Arrays.equals(payload, envelope.payload()))) {
        return Optional.empty();
      }
      Referrers referrers = new Referrers(registry);
      if (subject == null) {
        subject = referrers.describe(imageDigest);
      }
      String manifest = referrers.push(subject, ARTIFACT_TYPE,
          List.of(Referrers.Blob.of(ARTIFACT_TYPE, keyBundle(key, envelope), Map.of())),
          Map.of("dev.sigstore.bundle.content", "dsse-envelope", PREDICATE_TYPE_ANNOTATION, predicateType,
              "org.opencontainers.image.created", created.toString()));
      present.add(envelope.payload());
      return Optional.of(manifest);
    }
  }
}
