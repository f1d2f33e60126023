package dev.releasegate.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.evidence.EvidenceArchive;
import dev.releasegate.evidence.EvidenceLayout;
import dev.releasegate.evidence.EvidenceVerifier;
import dev.releasegate.evidence.RunRecord;
import dev.releasegate.registry.ContentMismatchException;
import dev.releasegate.registry.Descriptor;
import dev.releasegate.registry.Referrers;
import dev.releasegate.registry.RegistryAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence bundle of a released run as an OCI artifact that refers to the image (OCI 1.1
 * {@code subject}), found through the referrers API or, on registries without it, the referrers tag
 * schema:
 *
 * <ul>
 *   <li>manifest {@code application/vnd.oci.image.manifest.v1+json}, {@code artifactType}
 *       {@value #ARTIFACT_TYPE}, config the OCI empty descriptor, {@code subject} the image;
 *   <li>one layer {@value #LAYER_MEDIA_TYPE}: the whole bundle as one tar ({@link EvidenceArchive});
 *   <li>annotations {@code org.opencontainers.image.created} (when the run started), {@code
 *       dev.releasegate.run-id}, {@code dev.releasegate.version}: for listing only, never trusted.
 * </ul>
 *
 * <p>Nothing in the manifest is trusted: a reader unpacks the tar and verifies the bundle as it would a
 * folder, and checks that the bundle is about the digest it was found under.
 */
public final class EvidenceArtifact {
  public static final String ARTIFACT_TYPE = "application/vnd.releasegate.evidence.v1";
  public static final String LAYER_MEDIA_TYPE = "application/vnd.releasegate.evidence.v1.tar";
  static final String TITLE = "evidence.tar";

  private EvidenceArtifact() {}

  /** Pushes the finished bundle in {@code bundle} as a referrer of {@code image}; returns the artifact's manifest digest. */
  public static String push(RegistryAccess registry, ImageReference image, Path bundle) throws InterruptedException {
    byte[] archive;
    Map<String, String> annotations = new LinkedHashMap<>();
    try {
      archive = EvidenceArchive.pack(bundle);
      JsonNode index = Json.parse(Files.readAllBytes(bundle.resolve(EvidenceLayout.INDEX)));
      RunRecord run = RunRecord.fromJson(EvidenceVerifier.runPart((ObjectNode) index));
      annotations.put("org.opencontainers.image.created", run.startedAt().toString());
      annotations.put("dev.releasegate.run-id", run.runId());
      annotations.put("dev.releasegate.version", run.version());
    } catch (IOException e) {
      throw new EnvironmentException("cannot pack the evidence in " + bundle + ": " + e.getMessage(), e);
    }
    Referrers referrers = new Referrers(registry);
    Descriptor subject = referrers.describe(image.digest());
    return referrers.push(subject, ARTIFACT_TYPE,
        List.of(Referrers.Blob.of(LAYER_MEDIA_TYPE, archive, Map.of("org.opencontainers.image.title", TITLE))), annotations);
  }

  /** The evidence artifacts that refer to {@code imageDigest}, from the referrers API or its tag fallback. */
  public static List<Descriptor> list(RegistryAccess registry, String imageDigest) throws IOException, InterruptedException {
    return new Referrers(registry).list(imageDigest, ARTIFACT_TYPE);
  }

  /**
   * Downloads one evidence artifact and unpacks it into a new folder under {@code into}.
   *
   * @throws IOException naming the artifact, when it is not an evidence bundle releasegate would write
   */
  public static Path fetch(RegistryAccess registry, Descriptor artifact, Path into) throws IOException, InterruptedException {
    return unpack(registry, artifact, into.resolve(artifact.digest().replace(':', '-')));
  }

  private static Path unpack(RegistryAccess registry, Descriptor artifact, Path folder) throws IOException, InterruptedException {
    String where = "evidence artifact " + artifact.digest();
    if (artifact.size() > 4L * 1024 * 1024) {
      throw new IOException(where + ": manifest of " + artifact.size() + " bytes is not one releasegate writes");
    }
    RegistryAccess.ManifestBytes manifest = registry.manifestBytes(artifact.digest())
        .orElseThrow(() -> new IOException(where + " is listed but not in the registry"));
    if (!manifest.digest().equals(artifact.digest())) {
      throw new IOException(where + ": the registry sent manifest " + manifest.digest());
    }
    JsonNode node = Json.parse(manifest.bytes());
    if (!ARTIFACT_TYPE.equals(node.path("artifactType").asText())) {
      throw new IOException(where + ": artifactType is '" + node.path("artifactType").asText() + "', not " + ARTIFACT_TYPE);
    }
    JsonNode layers = node.path("layers");
    if (!layers.isArray() || layers.size() != 1) {
      throw new IOException(where + ": expected exactly one layer");
    }
    Descriptor layer = Descriptor.parse(layers.get(0), where + " layer");
    if (!layer.mediaType().equals(LAYER_MEDIA_TYPE)) {
      throw new IOException(where + ": layer media type " + layer.mediaType() + " is not " + LAYER_MEDIA_TYPE);
    }
    if (layer.size() > EvidenceArchive.MAX_BYTES) {
      throw new IOException(where + ": a layer of " + layer.size() + " bytes is larger than a bundle may be");
    }
    Files.createDirectories(folder);
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    InputStream blob;
    try {
      blob = registry.openBlob(layer.digest(), layer.size());
    } catch (ContentMismatchException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
    try (blob; DigestInputStream in = new DigestInputStream(blob, sha256)) {
      EvidenceArchive.unpack(in, folder);
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new IOException(where + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
    if (!actual.equals(layer.digest())) {
      throw new IOException(where + ": the layer's bytes are " + actual + ", the manifest says " + layer.digest());
    }
    return folder;
  }
}
