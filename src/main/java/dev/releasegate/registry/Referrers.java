package dev.releasegate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * OCI 1.1 referrers: artifacts whose manifest names another manifest as its {@code subject}. A registry
 * with the referrers API indexes them itself; on one without it (distribution 2.8), the client keeps
 * the referrers tag schema: an OCI index tagged {@code sha256-<hex>} that lists them, as the OCI
 * distribution spec, cosign and ORAS do.
 */
public final class Referrers {
  public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  /** The OCI empty descriptor's media type and blob, for artifacts that have no config. */
  public static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  private static final byte[] EMPTY = {'{', '}'};
  /** Attempts at the fallback index when another writer changes it at the same time. */
  private static final int INDEX_ATTEMPTS = 3;

  private final RegistryAccess registry;

  public Referrers(RegistryAccess registry) {
    this.registry = registry;
  }

  /** The referrers tag of a subject: {@code sha256-<hex>}. */
  public static String fallbackTag(String subjectDigest) {
    return subjectDigest.replace(':', '-');
  }

  /** The descriptor of a manifest in this repository, as a referrer's subject names it. */
  public Descriptor describe(String manifestDigest) throws InterruptedException {
    RegistryAccess.ManifestBytes manifest = registry.manifestBytes(manifestDigest)
        .orElseThrow(() -> new EnvironmentException("registry " + registry.host() + " has no manifest " + registry.repository() + "@" + manifestDigest));
    return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.bytes().length, Optional.empty(), Map.of());
  }

  /**
   * Pushes an artifact that refers to {@code subject}: its blobs, its manifest by digest and, where the
   * registry has no referrers API, an entry in the fallback index. Pushing the same artifact again
   * changes nothing.
   *
   * @return the artifact manifest's digest
   */
  public String push(Descriptor subject, String artifactType, List<Blob> layers, Map<String, String> annotations) throws InterruptedException {
    registry.putBlob(EMPTY);
    ObjectNode manifest = Json.object();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
    manifest.put("artifactType", artifactType);
    manifest.set("config", Descriptor.of(EMPTY_MEDIA_TYPE, EMPTY).toJson());
    ArrayNode layerList = manifest.putArray("layers");
    for (Blob layer : layers) {
      registry.putBlob(layer.content());
      layerList.add(layer.descriptor().toJson());
    }
    manifest.set("subject", subject.toJson());
    if (!annotations.isEmpty()) {
      ObjectNode map = manifest.putObject("annotations");
      new TreeMap<>(annotations).forEach(map::put);
    }
    byte[] bytes = Json.compact(manifest);
    String digest = registry.putManifest(bytes, MANIFEST_MEDIA_TYPE, "sha256:" + Digests.sha256Hex(bytes));
    indexWhereNoApi(subject.digest(), new Descriptor(MANIFEST_MEDIA_TYPE, digest, bytes.length, Optional.of(artifactType), annotations));
    return digest;
  }

  /**
   * Copies a referrer of {@code subjectDigest} from another repository: its blobs, then its manifest
   * byte for byte (so under the same digest), then, where this registry has no referrers API, its entry
   * in the fallback index. Copying it again changes nothing.
   */
  public void copy(RegistryAccess source, String subjectDigest, String referrerDigest) throws InterruptedException {
    RegistryAccess.ManifestBytes manifest = source.manifestBytes(referrerDigest)
        .orElseThrow(() -> new EnvironmentException(source.repository() + "@" + referrerDigest + " is listed as a referrer, but is not in the registry"));
    JsonNode node;
    try {
      node = Json.parse(manifest.bytes());
    } catch (IOException e) {
      throw new EnvironmentException(source.repository() + "@" + referrerDigest + ": the manifest is not JSON", e);
    }
    if (!node.at("/subject/digest").asText("").equals(subjectDigest) || !manifest.digest().equals(referrerDigest)) {
      throw new EnvironmentException(source.repository() + "@" + referrerDigest + " is not a referrer of " + subjectDigest);
    }
    List<String> blobs = new ArrayList<>();
    blobs.add(node.at("/config/digest").asText(""));
    node.path("layers").forEach(layer -> blobs.add(layer.path("digest").asText("")));
    if (blobs.stream().anyMatch(blob -> !blob.matches("sha256:[0-9a-f]{64}"))) {
      throw new EnvironmentException(source.repository() + "@" + referrerDigest + " names a blob without a sha256 digest; it is not copied");
    }
    if (registry.manifestBytes(referrerDigest).isEmpty()) {
      for (String blob : blobs) {
        registry.copyBlob(source, blob);
      }
      registry.putManifest(manifest.bytes(), manifest.mediaType(), referrerDigest);
    }
    Map<String, String> annotations = new TreeMap<>();
    node.path("annotations").fields().forEachRemaining(entry -> annotations.put(entry.getKey(), entry.getValue().asText()));
    String artifactType = node.path("artifactType").asText(node.at("/config/mediaType").asText());
    indexWhereNoApi(subjectDigest, new Descriptor(manifest.mediaType(), referrerDigest, manifest.bytes().length, Optional.of(artifactType), annotations));
  }

  /** Where the registry has no referrers API, the client keeps the subject's fallback index: the referrer goes in. */
  private void indexWhereNoApi(String subjectDigest, Descriptor referrer) throws InterruptedException {
    if (registry.referrers(subjectDigest, Optional.empty()).isEmpty()) {
      addToFallbackIndex(subjectDigest, referrer);
    }
  }

  /**
   * The referrers of {@code subjectDigest} of one artifact type: from the referrers API where the
   * registry has it, else from the fallback index.
   *
   * @throws IOException when the registry's answer is not an OCI index
   */
  public List<Descriptor> list(String subjectDigest, String artifactType) throws IOException, InterruptedException {
    Optional<RegistryAccess.ManifestBytes> index = registry.referrers(subjectDigest, Optional.of(artifactType));
    if (index.isEmpty()) {
      index = registry.manifestBytes(fallbackTag(subjectDigest));
    }
    List<Descriptor> found = new ArrayList<>();
    if (index.isPresent()) {
      for (Descriptor descriptor : parseIndex(index.get().bytes())) {
        // A registry may ignore the filter; the fallback index lists every artifact type.
        if (descriptor.artifactType().equals(Optional.of(artifactType))) {
          found.add(descriptor);
        } else if (descriptor.artifactType().isEmpty() || descriptor.artifactType().get().equals(EMPTY_MEDIA_TYPE)) {
          declaredArtifactType(descriptor).filter(artifactType::equals).ifPresent(type -> found.add(descriptor));
        }
      }
    }
    return found;
  }

  /**
   * The artifact type the manifest itself declares. Some registries (go-containerregistry's) list a
   * referrer under its config's media type, which for every artifact without a config is the empty one.
   * A listed manifest that cannot be read declares nothing: it may be any artifact, as cosign skips it.
   */
  private Optional<String> declaredArtifactType(Descriptor descriptor) throws InterruptedException {
    Optional<RegistryAccess.ManifestBytes> manifest = registry.manifestBytes(descriptor.digest());
    if (manifest.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.parse(manifest.get().bytes()).path("artifactType").asText(""));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** A blob and how a manifest describes it. */
  public record Blob(Descriptor descriptor, byte[] content) {
    public static Blob of(String mediaType, byte[] content, Map<String, String> annotations) {
      Descriptor plain = Descriptor.of(mediaType, content);
      return new Blob(new Descriptor(mediaType, plain.digest(), plain.size(), Optional.empty(), annotations), content);
    }
  }

  /**
   * Adds the descriptor to the index under the subject's fallback tag, unless it is there. The registry
   * has no compare-and-set, so the index is read back, and written again if another writer's update
   * replaced this one.
   */
  private void addToFallbackIndex(String subjectDigest, Descriptor referrer) throws InterruptedException {
    String tag = fallbackTag(subjectDigest);
    for (int attempt = 1; attempt <= INDEX_ATTEMPTS; attempt++) {
      List<Descriptor> entries = new ArrayList<>(currentIndex(tag));
      if (entries.stream().anyMatch(entry -> entry.digest().equals(referrer.digest()))) {
        return;
      }
      entries.add(referrer);
      ObjectNode index = Json.object();
      index.put("schemaVersion", 2);
      index.put("mediaType", INDEX_MEDIA_TYPE);
      ArrayNode manifests = index.putArray("manifests");
      entries.forEach(entry -> manifests.add(entry.toJson()));
      registry.putManifest(Json.compact(index), INDEX_MEDIA_TYPE, tag);
    }
    if (currentIndex(tag).stream().noneMatch(entry -> entry.digest().equals(referrer.digest()))) {
      throw new EnvironmentException("the referrers index " + registry.repository() + ":" + tag + " kept changing under other writers; "
          + referrer.digest() + " is not in it");
    }
  }

  private List<Descriptor> currentIndex(String tag) throws InterruptedException {
    Optional<RegistryAccess.ManifestBytes> existing = registry.manifestBytes(tag);
    if (existing.isEmpty()) {
      return List.of();
    }
    try {
      return parseIndex(existing.get().bytes());
    } catch (IOException e) {
      throw new EnvironmentException(registry.repository() + ":" + tag + " should be a referrers index but is not: " + e.getMessage()
          + "; releasegate does not overwrite it", e);
    }
  }

  static List<Descriptor> parseIndex(byte[] bytes) throws IOException {
    JsonNode index = Json.parse(bytes);
    if (!index.isObject() || index.path("schemaVersion").asInt() != 2) {
      throw new IOException("not an OCI index (schemaVersion 2)");
    }
    if (index.has("mediaType") && !INDEX_MEDIA_TYPE.equals(index.get("mediaType").asText())) {
      throw new IOException("media type " + index.get("mediaType").asText() + " is not " + INDEX_MEDIA_TYPE);
    }
    JsonNode manifests = index.path("manifests");
    if (!manifests.isArray()) {
      throw new IOException("an index needs a manifests list");
    }
    List<Descriptor> descriptors = new ArrayList<>();
    for (int i = 0; i < manifests.size(); i++) {
      descriptors.add(Descriptor.parse(manifests.get(i), "manifests[" + i + "]"));
    }
    return descriptors;
  }
}
