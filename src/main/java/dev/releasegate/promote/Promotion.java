package dev.releasegate.promote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.cosign.AttachmentKind;
import dev.releasegate.cosign.CosignLayer;
import dev.releasegate.cosign.CosignRegistry;
import dev.releasegate.cosign.SigstoreBundles;
import dev.releasegate.evidence.Dsse;
import dev.releasegate.evidence.DsseEnvelope;
import dev.releasegate.evidence.EnvelopeSigner;
import dev.releasegate.evidence.KeyEnvelopeVerifier;
import dev.releasegate.evidence.Statements;
import dev.releasegate.publish.EvidenceArtifact;
import dev.releasegate.registry.RegistryAccess;
import dev.releasegate.registry.TagLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Moves a verified release to an environment: copies the image, its signatures and attestations and
 * its evidence to the destination repository, points the environment tag at the digest, and attaches
 * a signed promotion attestation there. Verification comes before and is the caller's: nothing here
 * decides whether a digest may be promoted.
 *
 * <p>Environment tags are the only tags releasegate moves. Promotions of one environment on one
 * machine take turns under a lock, and a promotion refuses when the tag moved since it began, so of
 * two at once exactly one wins and the tag names the winner.
 */
public final class Promotion {
  public static final String PREDICATE_TYPE = "https://releasegate.dev/promotion/v1";
  /** A tag, as the distribution spec allows it. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  /** Tags that name a version or a commit: immutable, never an environment. */
  private static final Pattern IMMUTABLE = Pattern.compile("v?[0-9].*|[0-9a-f]{7,64}|sha256-[0-9a-f]{64}.*");
  private static final Duration LOCK_TIMEOUT = Duration.ofMinutes(5);

  /**
   * What a promotion needs beyond the registries.
   *
   * @param environment the environment tag, e.g. {@code staging}
   * @param evidence the verified evidence bundles (folders) to copy beside the image
   * @param release facts of the release for the attestation: version, commit, run id
   * @param policySha256 the digest of the policy the release was verified under, when one was given
   * @param ci the CI run that promotes, when one is detected
   */
  public record Request(
      String digest, String environment, List<Path> evidence, ObjectNode release, Optional<String> policySha256,
      Optional<ObjectNode> ci, EnvelopeSigner signer, boolean keylessSigner, Map<String, String> variables, Instant now) {
    public Request {
      evidence = List.copyOf(evidence);
    }
  }

  /**
   * What a promotion did.
   *
   * @param previous what the environment tag named before, if anything
   * @param movedBy set when another promotion moved the tag while this one ran: this one lost
   * @param attestation the promotion attestation's layer digest, when one was attached
   */
  public record Outcome(Optional<String> previous, boolean unchanged, Optional<String> movedBy, Optional<String> attestation) {}

  private Promotion() {}

  /** Exit 2 material: a name that is not a tag, or one that names a version or a commit. */
  public static Optional<String> invalidEnvironment(String environment, List<String> releaseTags) {
    if (!TAG.matcher(environment).matches()) {
      return Optional.of("environment '" + environment + "' is not a valid tag (letters, digits, '_', '.', '-'; at most 128)");
    }
    if (IMMUTABLE.matcher(environment).matches() || releaseTags.contains(environment) || environment.equals("latest")) {
      return Optional.of("environment '" + environment + "' looks like a version or commit tag, which never move;"
          + " name environments for what they are (staging, prod)");
    }
    return Optional.empty();
  }

  public static Outcome run(RegistryAccess from, RegistryAccess to, Request request, Consumer<String> progress) throws InterruptedException {
    String digest = request.digest();
    Optional<String> before = to.digestOf(request.environment());
    progress.accept("copying " + from.repository() + "@" + digest + " to " + to.repository());
    ImageCopy.image(from, to, digest);
    int attachments = ImageCopy.attachments(from, to, digest);
    int bundles = ImageCopy.bundles(from, to, digest);
    progress.accept("copied the image, " + attachments + " new signature and attestation layers and " + bundles + " Sigstore bundles");
    ImageReference target = new ImageReference(to.repository(), digest);
    for (Path bundle : request.evidence()) {
      EvidenceArtifact.push(to, target, bundle);
    }

    try (TagLock lock = TagLock.acquire(request.variables(), to.repository() + ":" + request.environment(), LOCK_TIMEOUT, progress)) {
      Optional<String> now = to.digestOf(request.environment());
      if (!now.equals(before)) {
        return new Outcome(before, false, Optional.of(now.orElse("nothing")), Optional.empty());
      }
      boolean unchanged = now.equals(Optional.of(digest));
      if (!unchanged) {
        RegistryAccess.ManifestBytes manifest = to.manifestBytes(digest)
            .orElseThrow(() -> new EnvironmentException(to.repository() + "@" + digest + " vanished after it was copied"));
        progress.accept("pointing " + to.repository() + ":" + request.environment() + " at " + digest);
        to.putManifest(manifest.bytes(), manifest.mediaType(), request.environment());
        Optional<String> readBack = to.digestOf(request.environment());
        if (!readBack.equals(Optional.of(digest))) {
          return new Outcome(before, false, Optional.of(readBack.orElse("nothing")), Optional.empty());
        }
      }
      if (unchanged && promotedBefore(to, request)) {
        return new Outcome(before, true, Optional.empty(), Optional.empty());
      }
      return new Outcome(before, unchanged, Optional.empty(), Optional.of(attest(from, to, request, before)));
    }
  }

  /** Signs the promotion statement and appends it to the destination's attestations of the digest. */
  private static String attest(RegistryAccess from, RegistryAccess to, Request request, Optional<String> previous) throws InterruptedException {
    ObjectNode predicate = Json.object();
    predicate.put("environment", request.environment());
    predicate.put("from", from.repository() + "@" + request.digest());
    predicate.put("to", to.repository() + "@" + request.digest());
    predicate.put("previousDigest", previous.orElse(null));
    predicate.set("release", request.release());
    request.policySha256().ifPresent(sha256 -> predicate.putObject("policy").putObject("digest").put("sha256", sha256));
    request.ci().ifPresent(ci -> predicate.set("ci", ci));
    predicate.put("promotedAt", request.now().toString());
    ObjectNode statement = Statements.statement(
        List.of(Statements.subject(to.repository(), "sha256", request.digest().substring("sha256:".length()))), PREDICATE_TYPE, predicate);
    EnvelopeSigner.Signed signed = request.signer().sign(Dsse.IN_TOTO_PAYLOAD_TYPE, Json.compact(statement));
    try {
      CosignLayer layer = CosignLayer.attestation(Json.compact(signed.envelope().toJson()), PREDICATE_TYPE, signed.sigstoreBundle());
      ImageCopy.append(new CosignRegistry(to), AttachmentKind.ATTESTATIONS, request.digest(), List.of(layer));
      // Where the image has Sigstore bundles, cosign v3 reads those and not the tags: the promotion goes
      // there too. A keyless promoter's bundle would need its own log entry, which is not made here.
      if (!request.keylessSigner()) {
        SigstoreBundles.Writer bundles = new SigstoreBundles.Writer(to, request.digest(), request.signer().signer().publicKey(), request.now());
        if (bundles.imageHasBundles()) {
          bundles.attach(signed.envelope(), PREDICATE_TYPE);
        }
      }
      return layer.descriptor().digest();
    } catch (IOException e) {
      throw new EnvironmentException("cannot attach the promotion attestation to " + to.repository() + "@" + request.digest() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * True when the destination already holds this promoter's attestation of this digest to this
   * environment, signed with its key. Anything else in the registry proves nothing: an attestation
   * someone else put there, or one that does not verify, must not spare this promotion its own. A
   * keyless promoter signs with a new certificate each run, so it cannot recognize its earlier
   * attestations offline and always attests again.
   */
  private static boolean promotedBefore(RegistryAccess to, Request request) throws InterruptedException {
    if (request.keylessSigner()) {
      return false;
    }
    KeyEnvelopeVerifier promoter = new KeyEnvelopeVerifier(request.signer().signer().publicKey());
    try {
      Optional<CosignRegistry.Attached> attached = new CosignRegistry(to).read(AttachmentKind.ATTESTATIONS, request.digest());
      if (attached.isEmpty()) {
        return false;
      }
      for (CosignLayer layer : attached.get().layers()) {
        if (!PREDICATE_TYPE.equals(layer.descriptor().annotations().get(CosignLayer.PREDICATE_TYPE_ANNOTATION))) {
          continue;
        }
        DsseEnvelope envelope;
        try {
          envelope = DsseEnvelope.parse(layer.blob());
        } catch (IOException e) {
          continue;
        }
        if (promoter.check(envelope).isPresent()) {
          continue;
        }
        JsonNode statement = Json.parse(envelope.payload());
        boolean aboutThis = statement.at("/subject/0/name").asText().equals(to.repository())
            && statement.at("/subject/0/digest/sha256").asText().equals(request.digest().substring("sha256:".length()));
        if (aboutThis && request.environment().equals(statement.at("/predicate/environment").asText())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new EnvironmentException(AttachmentKind.ATTESTATIONS.tag(request.digest()) + " of " + to.repository() + ": " + e.getMessage(), e);
    }
  }
}
