package dev.releasegate.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.Json;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An OCI image layout folder ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/…}, as the
 * OCI image spec lays it out): where a dry run keeps its image instead of a registry. It is unpacked
 * from the OCI tar jib-core writes, and every blob read from it is checked against its digest, as a
 * registry client checks what it pulls, so a layout changed on disk is never read as the image.
 */
public final class OciLayout implements ImageBlobs {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern ENTRY = Pattern.compile("oci-layout|index\\.json|blobs/sha256/[0-9a-f]{64}");
  /** A manifest or index.json is a few KiB; more is not one to trust. */
  private static final long MAX_MANIFEST_BYTES = 4L << 20;

  private final Path folder;

  private OciLayout(Path folder) {
    this.folder = folder;
  }

  /** The layout in {@code folder}; it must have an {@code oci-layout} file. */
  public static OciLayout open(Path folder) {
    if (!Files.isRegularFile(folder.resolve("oci-layout"), LinkOption.NOFOLLOW_LINKS)) {
      throw new EnvironmentException(folder + " is not an OCI image layout: it has no oci-layout file");
    }
    return new OciLayout(folder);
  }

  /**
   * Unpacks the OCI tar jib-core wrote into {@code folder}, which must not exist: whole or not at all
   * (a temporary sibling, then a rename). Only the layout's own files are accepted, and every blob must
   * match its name.
   *
   * @return the digest of the one manifest {@code index.json} names
   */
  public static String unpack(Path tar, Path folder) throws IOException {
    Path parent = folder.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempDirectory(parent, "." + folder.getFileName() + "-");
    try {
      try (TarArchiveInputStream entries = new TarArchiveInputStream(Files.newInputStream(tar))) {
        for (TarArchiveEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
          if (entry.isDirectory()) {
            continue;
          }
          if (!entry.isFile() || !ENTRY.matcher(entry.getName()).matches()) {
            throw new IOException("unexpected entry " + entry.getName() + " in the image tar");
          }
          Path target = temp.resolve(entry.getName());
          Files.createDirectories(target.getParent());
          MessageDigest sha256 = sha256();
          try (OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            for (int read = entries.read(buffer); read >= 0; read = entries.read(buffer)) {
              sha256.update(buffer, 0, read);
              out.write(buffer, 0, read);
            }
          }
          String name = entry.getName();
          if (name.startsWith("blobs/") && !HexFormat.of().formatHex(sha256.digest()).equals(name.substring(name.lastIndexOf('/') + 1))) {
            throw new IOException(name + " in the image tar does not match its digest");
          }
        }
      }
      String manifest = manifestDigest(temp);
      new OciLayout(temp).manifest(manifest);
      Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
      return manifest;
    } finally {
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        delete(temp);
      }
    }
  }

  /** The digest of the one manifest the layout's {@code index.json} names. */
  private static String manifestDigest(Path folder) throws IOException {
    Path index = folder.resolve("index.json");
    if (!Files.isRegularFile(index, LinkOption.NOFOLLOW_LINKS) || Files.size(index) > MAX_MANIFEST_BYTES) {
      throw new IOException("the OCI layout has no index.json of at most " + MAX_MANIFEST_BYTES + " bytes");
    }
    JsonNode manifests = Json.parse(Files.readAllBytes(index)).path("manifests");
    if (!manifests.isArray() || manifests.size() != 1 || !DIGEST.matcher(manifests.get(0).path("digest").asText()).matches()) {
      throw new IOException("the index.json of the OCI layout must name exactly one manifest by its sha256 digest");
    }
    return manifests.get(0).path("digest").asText();
  }

  @Override
  public ManifestAndDigest<ManifestTemplate> manifest(String digest) {
    byte[] bytes = readBlob(digest, MAX_MANIFEST_BYTES);
    try {
      String mediaType = Json.parse(bytes).path("mediaType").asText("");
      ManifestTemplate manifest = V22ManifestTemplate.MANIFEST_MEDIA_TYPE.equals(mediaType)
          ? JsonTemplateMapper.readJson(bytes, V22ManifestTemplate.class)
          : JsonTemplateMapper.readJson(bytes, OciManifestTemplate.class);
      return new ManifestAndDigest<>(manifest, DescriptorDigest.fromDigest(digest));
    } catch (IOException | DigestException e) {
      throw new EnvironmentException("the manifest " + digest + " in " + describe() + " is not an image manifest: " + e.getMessage(), e);
    }
  }

  /** The digest of the config of the image manifest {@code digest} names in this layout. */
  public String configDigest(String digest) {
    if (manifest(digest).getManifest() instanceof BuildableManifestTemplate manifest && manifest.getContainerConfiguration() != null
        && manifest.getContainerConfiguration().getDigest() != null) {
      return manifest.getContainerConfiguration().getDigest().toString();
    }
    throw new EnvironmentException("the manifest " + digest + " in " + describe() + " names no image config");
  }

  @Override
  public byte[] readBlob(String digest, long limit) {
    Path blob = blob(digest);
    try {
      if (Files.size(blob) > limit) {
        throw new EnvironmentException("blob " + digest + " in " + describe() + " has more than " + limit + " bytes");
      }
      byte[] bytes = Files.readAllBytes(blob);
      if (!Digests.sha256Hex(bytes).equals(digest.substring("sha256:".length()))) {
        throw new EnvironmentException("blob " + digest + " in " + describe() + " does not match its digest");
      }
      return bytes;
    } catch (IOException e) {
      throw new EnvironmentException("cannot read blob " + digest + " in " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream openBlob(String digest) {
    Path blob = blob(digest);
    try {
      return new Checked(Files.newInputStream(blob), digest);
    } catch (IOException e) {
      throw new EnvironmentException("cannot read blob " + digest + " in " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "OCI layout " + folder;
  }

  private Path blob(String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new EnvironmentException("not a sha256 digest: " + digest);
    }
    Path blob = folder.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
      throw new EnvironmentException(describe() + " has no blob " + digest);
    }
    return blob;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** A blob's bytes, failing at their end when they are not what the digest names. */
  private final class Checked extends FilterInputStream {
    private final MessageDigest sha256 = sha256();
    private final String digest;
    private boolean checked;

    Checked(InputStream in, String digest) {
      super(in);
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        check();
      } else {
        sha256.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = super.read(buffer, offset, length);
      if (read < 0) {
        check();
      } else {
        sha256.update(buffer, offset, read);
      }
      return read;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must be hashed too: read them.
      byte[] buffer = new byte[(int) Math.min(n, 8192)];
      int read = read(buffer, 0, buffer.length);
      return Math.max(read, 0);
    }

    private void check() throws IOException {
      if (!checked) {
        checked = true;
        if (!HexFormat.of().formatHex(sha256.digest()).equals(digest.substring("sha256:".length()))) {
          throw new IOException("blob " + digest + " in " + describe() + " does not match its digest");
        }
      }
    }
  }
}
