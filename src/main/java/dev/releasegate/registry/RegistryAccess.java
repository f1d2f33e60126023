package dev.releasegate.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.blob.Blobs;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.hash.WritableContents;
import com.google.cloud.tools.jib.http.Authorization;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.Request;
import com.google.cloud.tools.jib.http.Response;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import dev.releasegate.ToolVersion;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.InvalidInputException;
import dev.releasegate.base.Json;
import dev.releasegate.base.RegistryWrite;
import dev.releasegate.base.Remedy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One repository in one registry, through jib-core's registry client: authentication (bearer or
 * basic), transport and blob transfer are jib's; this class adds exact-byte manifests, retries and
 * messages that say which registry failed and what to do.
 */
public final class RegistryAccess {
  private static final String[] MANIFEST_TYPES = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json"
  };
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  private static final Constructor<FailoverHttpClient> WITHOUT_RETRIES = retrylessConstructor();

  private final String host;
  private final String path;
  private final RegistrySettings settings;
  private final Optional<Credential> credential;
  private final RegistryClient client;
  private final FailoverHttpClient http;
  private final Retry retry;
  private Authorization rawAuthorization;
  private boolean pullAuthenticated;
  private boolean pushAuthenticated;

  private RegistryAccess(String host, String path, RegistrySettings settings, Optional<Credential> credential) {
    this.host = host;
    this.path = path;
    this.settings = settings;
    this.credential = credential;
    EventHandlers events = EventHandlers.builder().add(LogEvent.class, this::log).build();
    this.http = withoutRetries(settings.insecure(), this::log);
    this.client =
        RegistryClient.factory(events, host, path, http)
            .setCredential(credential.orElse(null))
            .setUserAgent("releasegate/" + ToolVersion.get())
            .newRegistryClient();
    this.retry = Retry.standard(settings.log());
  }

  /**
   * jib's HTTP client without retries of its own: every call here is retried, boundedly, by {@link Retry}.
   * jib's public constructor makes each request retry ten times with exponential back-off (about a
   * minute), which under {@link Retry}'s five attempts kept a release waiting more than four minutes
   * for a registry that had gone away. The constructor that leaves them out is package-private.
   */
  private static FailoverHttpClient withoutRetries(boolean insecure, Consumer<LogEvent> log) {
    try {
      return WITHOUT_RETRIES.newInstance(insecure, insecure, log, false);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make jib's HTTP client: " + e, e);
    }
  }

  private static Constructor<FailoverHttpClient> retrylessConstructor() {
    try {
      Constructor<FailoverHttpClient> constructor =
          FailoverHttpClient.class.getDeclaredConstructor(boolean.class, boolean.class, Consumer.class, boolean.class);
      constructor.setAccessible(true);
      return constructor;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("jib-core has no FailoverHttpClient(boolean, boolean, Consumer, boolean) any more", e);
    }
  }

  /**
   * Opens {@code repository} ({@code host[:port]/path}).
   *
   * @throws InvalidInputException when plain HTTP is asked for a registry that is not on loopback
   */
  public static RegistryAccess open(String repository, RegistrySettings settings) {
    int slash = repository.indexOf('/');
    if (slash <= 0) {
      throw new InvalidInputException("not a repository (host/path): " + repository);
    }
    String host = repository.substring(0, slash);
    if (settings.insecure() && !isLoopback(host)) {
      throw new InvalidInputException(
          "plain HTTP is only for loopback registries (127.0.0.1, localhost, ::1); " + host + " is not one", Remedy.USE_HTTPS);
    }
    if (settings.insecure()) {
      allowCredentialsOverLoopbackHttp();
    }
    return new RegistryAccess(host, repository.substring(slash + 1), settings, credential(host, repository.substring(slash + 1), settings));
  }

  /**
   * jib sends no credentials over plain HTTP unless its process-wide {@code sendCredentialsOverHttp}
   * says so, and plain HTTP is allowed only for loopback registries: a private registry on loopback
   * (htpasswd, no TLS) takes the release's credentials, which never leave the machine.
   */
  public static void allowCredentialsOverLoopbackHttp() {
    System.setProperty("sendCredentialsOverHttp", "true");
  }

  /** True for localhost, ::1 and all of 127.0.0.0/8, with or without a port. */
  public static boolean isLoopback(String host) {
    String name = host.contains("]") ? host.substring(0, host.indexOf(']') + 1) : host.replaceAll(":\\d+$", "");
    name = name.toLowerCase(Locale.ROOT);
    return LOOPBACK.contains(name) || name.matches("127(\\.\\d{1,3}){3}");
  }

  /** The registry host of {@code host[:port]/path}, without the port; IPv6 literals keep their brackets. */
  public static String hostOf(String repository) {
    int slash = repository.indexOf('/');
    String authority = slash < 0 ? repository : repository.substring(0, slash);
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      return end < 0 ? authority : authority.substring(0, end + 1);
    }
    int colon = authority.indexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  public String host() {
    return host;
  }

  public String repository() {
    return host + "/" + path;
  }

  /** Gives jib's Containerizer the same credentials this access uses. */
  public CredentialRetriever credentialRetriever() {
    return () -> credential;
  }

  /**
   * The manifest digest a tag or digest points to; empty when there is no such manifest. Read from the
   * exact bytes: jib's own check parses the manifest into templates that refuse fields they do not
   * know, such as the {@code artifactType} of a referrers index.
   */
  public Optional<String> digestOf(String reference) throws InterruptedException {
    return manifestBytes(reference).map(ManifestBytes::digest);
  }

  /** The manifest a tag or digest points to, as jib's template, and its digest. */
  public ManifestAndDigest<ManifestTemplate> manifest(String reference) throws InterruptedException {
    return call("read manifest " + repository() + "@" + reference, true, () -> client.pullManifest(reference));
  }

  /**
   * A manifest exactly as the registry holds it.
   *
   * @param bytes the manifest bytes
   * @param mediaType from the response's Content-Type
   * @param digest {@code sha256:} of the bytes
   */
  public record ManifestBytes(byte[] bytes, String mediaType, String digest) {}

  /**
   * The exact bytes of a manifest, or empty when there is none. jib's client parses manifests into
   * templates that drop descriptor media types and unknown fields, which a strict cosign reader must
   * see; so this one read goes through jib's HTTP client directly, with the registry's token handshake.
   */
  public Optional<ManifestBytes> manifestBytes(String reference) throws InterruptedException {
    return getJson("read manifest " + repository() + ":" + reference, "/manifests/" + reference);
  }

  /** The repository's tags ({@code GET /v2/<name>/tags/list}); empty when the repository does not exist. */
  public List<String> tags() throws InterruptedException {
    Optional<ManifestBytes> listed = getJson("list the tags of " + repository(), "/tags/list");
    if (listed.isEmpty()) {
      return List.of();
    }
    try {
      List<String> tags = new java.util.ArrayList<>();
      Json.parse(listed.get().bytes()).path("tags").forEach(tag -> tags.add(tag.asText()));
      return List.copyOf(tags);
    } catch (IOException e) {
      throw new EnvironmentException("registry " + host + " sent a tag list of " + repository() + " that is not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * The OCI 1.1 referrers index of a manifest ({@code GET /v2/<name>/referrers/<digest>}), filtered by
   * artifact type where the registry supports that; empty when the registry has no referrers API (it
   * answers 404, as distribution 2.8 does), in which case the referrers tag schema applies.
   */
  public Optional<ManifestBytes> referrers(String digest, Optional<String> artifactType) throws InterruptedException {
    String query = artifactType.map(type -> "?artifactType=" + java.net.URLEncoder.encode(type, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
    return getJson("list the referrers of " + repository() + "@" + digest, "/referrers/" + parseDigest(digest) + query);
  }

  private Optional<ManifestBytes> getJson(String action, String suffix) throws InterruptedException {
    try {
      return retry.run(action, () -> {
        URL url = new URL("https://" + host + "/v2/" + path + suffix);
        try {
          return Optional.of(getManifest(url));
        } catch (ResponseException e) {
          if (e.getStatusCode() == 401 && rawAuthorization == null) {
            rawAuthorization = RegistryTokens.authorize(http, e.getHeaders().getAuthenticate(), path, credential, host);
            return Optional.of(getManifest(url));
          }
          if (e.getStatusCode() == 404) {
            return Optional.empty();
          }
          throw e;
        }
      });
    } catch (ResponseException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
        throw failure(action, new RegistryUnauthorizedException(host, path, e));
      }
      throw failure(action, e);
    } catch (IOException | RegistryException e) {
      throw failure(action, e);
    }
  }

  private ManifestBytes getManifest(URL url) throws IOException {
    Request request = Request.builder()
        .setAccept(List.of(MANIFEST_TYPES))
        .setUserAgent("releasegate/" + ToolVersion.get())
        .setAuthorization(rawAuthorization)
        .build();
    try (Response response = http.get(url, request)) {
      byte[] bytes;
      try (InputStream body = response.getBody()) {
        bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
      }
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new IOException("manifest " + url + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
      }
      String digest = "sha256:" + Digests.sha256Hex(bytes);
      List<String> claimed = response.getHeader("Docker-Content-Digest");
      if (!claimed.isEmpty() && !claimed.get(0).equals(digest)) {
        throw new IOException("registry " + host + " says manifest " + claimed.get(0) + " but sent bytes of " + digest);
      }
      List<String> contentType = response.getHeader("Content-Type");
      return new ManifestBytes(bytes, contentType.isEmpty() ? "" : contentType.get(0).split(";")[0].strip(), digest);
    }
  }

  /**
   * Points {@code tag} at the manifest {@code digest}, by putting the same bytes under the tag. Refuses
   * when jib cannot reproduce the bytes (fields its templates do not know), rather than let the tag name
   * a different digest.
   */
  public void tag(String digest, String tag) throws InterruptedException {
    ManifestAndDigest<ManifestTemplate> manifest = manifest(digest);
    byte[] bytes;
    try {
      bytes = JsonTemplateMapper.toByteArray(manifest.getManifest());
    } catch (IOException e) {
      throw new EnvironmentException("cannot serialize the manifest of " + digest + ": " + e.getMessage(), e);
    }
    if (!("sha256:" + Digests.sha256Hex(bytes)).equals(digest)) {
      throw new EnvironmentException(
          "cannot tag " + repository() + "@" + digest + ": its manifest has fields jib does not keep, so re-uploading it would change the digest");
    }
    putManifest(bytes, manifest.getManifest().getManifestMediaType(), tag);
  }

  /**
   * Puts manifest bytes under a tag or their digest, unchanged; returns the digest. Every write is
   * that changed something is reported to the settings' {@code writes}, with what a tag named before.
   */
  public String putManifest(byte[] bytes, String mediaType, String reference) throws InterruptedException {
    String expected = "sha256:" + Digests.sha256Hex(bytes);
    boolean byDigest = reference.startsWith("sha256:");
    Optional<String> previous = digestOf(reference);
    DescriptorDigest pushed = call("write manifest " + repository() + (byDigest ? "@" : ":") + reference, false, () ->
        client.pushManifest(new RawManifest(bytes, mediaType), reference));
    if (!pushed.toString().equals(expected)) {
      throw new EnvironmentException("registry " + host + " stored the manifest as " + pushed + ", expected " + expected);
    }
    if (!previous.equals(Optional.of(expected))) {
      settings.writes().accept(new RegistryWrite(repository(), reference, expected, previous));
    }
    return expected;
  }

  /** Uploads a blob unless the registry has it; returns its digest. */
  public String putBlob(byte[] content) throws InterruptedException {
    String digest = "sha256:" + Digests.sha256Hex(content);
    DescriptorDigest descriptor = parseDigest(digest);
    call("upload blob " + digest + " to " + repository(), false, () -> {
      if (client.checkBlob(descriptor).isEmpty()) {
        client.pushBlob(descriptor, Blobs.from(out -> out.write(content), true), null, ignored -> {});
      }
      return null;
    });
    return digest;
  }

  /**
   * Copies blob {@code digest} from {@code source} unless this repository has it: mounted when both
   * repositories are on one registry, else streamed from one registry to the other without being held
   * in memory or on disk. The receiving registry checks the bytes against the digest.
   */
  public void copyBlob(RegistryAccess source, String digest) throws InterruptedException {
    DescriptorDigest descriptor = parseDigest(digest);
    String mountFrom = source.host.equals(host) && !source.path.equals(path) ? source.path : null;
    call("copy blob " + digest + " from " + source.repository() + " to " + repository(), false, () -> {
      if (client.checkBlob(descriptor).isEmpty()) {
        client.pushBlob(descriptor, Blobs.from(out -> source.writeBlob(descriptor, out), true), mountFrom, ignored -> {});
      }
      return null;
    });
  }

  /**
   * A blob to upload from this machine, as its manifest names it.
   *
   * @param content writes the bytes from their start, once for each attempt: a file or a tar entry
   *     opened anew, never the blob held in memory
   */
  public record BlobUpload(String digest, long size, WritableContents content) {
    public BlobUpload {
      parseDigest(digest);
      if (size < 0) {
        throw new IllegalArgumentException("a blob size is not negative");
      }
      Objects.requireNonNull(content, "content");
    }
  }

  /** What {@link #pushByDigest} sent: of {@code blobs}, how many were uploaded and their bytes; the registry had or mounted the others. */
  public record Pushed(int blobs, int uploaded, long uploadedBytes) {}

  /**
   * Pushes an image under its digest and no tag: each of {@code blobs} (config and layers) that this
   * repository does not have, streamed from its content or, when {@code mountFrom} is on this registry,
   * mounted from there where it has the blob; then the manifest's exact bytes. The whole push is the
   * unit of retry, upload races included ({@link Retry#forWholePush}): every attempt first asks which
   * blobs exist, so it uploads only what the ones before did not.
   *
   * <p>Not reported to the settings' {@code writes}: an image by digest alone is nothing a deployer's
   * tool would pick up, and the run names its image anyway.
   */
  public Pushed pushByDigest(byte[] manifest, String mediaType, List<BlobUpload> blobs, Optional<RegistryAccess> mountFrom)
      throws InterruptedException {
    String digest = "sha256:" + Digests.sha256Hex(manifest);
    String mountPath = mountFrom.filter(source -> source.host.equals(host) && !source.path.equals(path)).map(source -> source.path).orElse(null);
    AtomicInteger uploaded = new AtomicInteger();
    AtomicLong uploadedBytes = new AtomicLong();
    try {
      retry.forWholePush().run("push " + repository() + "@" + digest, () -> {
        authenticate(false);
        for (BlobUpload blob : blobs) {
          DescriptorDigest descriptor = parseDigest(blob.digest());
          if (client.checkBlob(descriptor).isEmpty() && !client.pushBlob(descriptor, Blobs.from(blob.content(), true), mountPath, ignored -> {})) {
            uploaded.incrementAndGet();
            uploadedBytes.addAndGet(blob.size());
          }
        }
        DescriptorDigest pushed = client.pushManifest(new RawManifest(manifest, mediaType), digest);
        if (!pushed.toString().equals(digest)) {
          throw new EnvironmentException("registry " + host + " stored the manifest as " + pushed + ", expected " + digest);
        }
        return null;
      });
    } catch (IOException | RegistryException e) {
      throw failure("push the image " + repository(), e);
    }
    return new Pushed(blobs.size(), uploaded.get(), uploadedBytes.get());
  }

  /** Streams a blob of this repository into {@code out}; called inside the receiving registry's upload. */
  private void writeBlob(DescriptorDigest digest, OutputStream out) throws IOException {
    try {
      authenticate(true);
      client.pullBlob(digest, size -> {}, written -> {}).writeTo(out);
    } catch (RegistryException e) {
      throw new IOException("cannot read blob " + repository() + "@" + digest + ": " + e.getMessage(), e);
    }
  }

  /** Reads a small blob (a config, a signature payload) into memory, refusing anything larger than {@code limit}. */
  public byte[] readBlob(String digest, long limit) throws InterruptedException {
    return pullBlob(digest, () -> {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      return new Sink<>(new LimitedOutputStream(buffer, limit, digest), buffer::toByteArray);
    });
  }

  /**
   * Streams a blob (a layer) through a temporary file, so that no layer is ever held in memory and a
   * broken download can be retried from the start. The file is deleted when the stream is closed.
   */
  public InputStream openBlob(String digest) throws InterruptedException {
    return openBlob(digest, Long.MAX_VALUE);
  }

  /** As {@link #openBlob(String)}, refusing a blob larger than {@code limit} bytes. */
  public InputStream openBlob(String digest, long limit) throws InterruptedException {
    try {
      Path file = Files.createTempFile("releasegate-blob", ".bin");
      try {
        // Each attempt truncates the file: a retried download starts from nothing.
        pullBlob(digest, () -> {
          OutputStream out = Files.newOutputStream(file);
          return new Sink<Void>(limit == Long.MAX_VALUE ? out : new LimitedOutputStream(out, limit, digest), () -> null);
        });
      } catch (RuntimeException | InterruptedException e) {
        Files.deleteIfExists(file);
        throw e;
      }
      return Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
    } catch (IOException e) {
      throw new EnvironmentException("cannot buffer blob " + digest + " on disk: " + e.getMessage(), e);
    }
  }

  /** Where one attempt of a blob download goes, and what it yields once complete. */
  private record Sink<T>(OutputStream out, java.util.function.Supplier<T> result) {}

  private <T> T pullBlob(String digest, Retry.Call<Sink<T>> freshSink) throws InterruptedException {
    DescriptorDigest descriptor = parseDigest(digest);
    String action = "read blob " + repository() + "@" + digest;
    try {
      return call(action, true, () -> {
        Sink<T> sink = freshSink.call();
        try (OutputStream out = sink.out()) {
          client.pullBlob(descriptor, size -> {}, written -> {}).writeTo(out);
        }
        return sink.result().get();
      });
    } catch (EnvironmentException e) {
      if (Retry.mismatch(e)) {
        throw new ContentMismatchException("registry " + host + " sent bytes that are not " + repository() + "@" + digest, e);
      }
      throw e;
    }
  }

  private <T> T call(String action, boolean pull, Retry.Call<T> call) throws InterruptedException {
    try {
      return retry.run(action, () -> {
        authenticate(pull);
        return call.call();
      });
    } catch (IOException | RegistryException e) {
      throw failure(action, e);
    }
  }

  /** Synchronized: blobs are uploaded from several threads, and the first of them authenticates. */
  private synchronized void authenticate(boolean pull) throws IOException, RegistryException {
    if (pull ? pullAuthenticated || pushAuthenticated : pushAuthenticated) {
      return;
    }
    boolean bearer = pull ? client.doPullBearerAuth() : client.doPushBearerAuth();
    if (!bearer && credential.isPresent()) {
      client.configureBasicAuth();
    }
    if (pull) {
      pullAuthenticated = true;
    } else {
      pushAuthenticated = true;
    }
  }

  /** Turns jib's exceptions into one message that names the registry and says what to do. */
  public EnvironmentException failure(String action, Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
        return new EnvironmentException("cannot reach registry " + host + ": " + cause.getMessage() + " (while trying to " + action + "); is it running?", e);
      }
      if (cause instanceof InsecureRegistryException) {
        return new EnvironmentException("registry " + host + " does not answer HTTPS", Remedy.ALLOW_PLAIN_HTTP, e);
      }
      if (cause instanceof RegistryUnauthorizedException) {
        return new EnvironmentException("registry " + host + " refused to " + action + " (HTTP 401/403); log in (docker login " + host
            + ") or set " + RegistrySettings.USERNAME_VARIABLE + " and " + RegistrySettings.PASSWORD_VARIABLE, e);
      }
      if (cause instanceof ResponseException response) {
        String body = response.getContent() == null ? "" : response.getContent().strip().lines().findFirst().orElse("");
        return new EnvironmentException("registry " + host + " answered HTTP " + response.getStatusCode() + " when asked to " + action
            + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)), e);
      }
    }
    return new EnvironmentException("cannot " + action + " at registry " + host + ": " + e.getMessage(), e);
  }

  private void log(LogEvent event) {
    if ((event.getLevel() == LogEvent.Level.WARN || event.getLevel() == LogEvent.Level.ERROR)
        && !isExpectedFailover(settings.insecure(), event.getMessage())) {
      settings.log().accept(event.getMessage());
    }
  }

  /**
   * jib tries HTTPS first and warns when it falls back to plain HTTP. For a registry the user declared
   * plain-HTTP loopback (--insecure-registry) that is the expected path, not news.
   */
  public static boolean isExpectedFailover(boolean insecure, String message) {
    return insecure && (message.startsWith("Cannot verify server at https://") || message.startsWith("Failed to connect to https://"));
  }

  private static DescriptorDigest parseDigest(String digest) {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (Exception e) {
      throw new InvalidInputException("not a sha256 digest: " + digest);
    }
  }

  /**
   * Credentials, first found wins: {@code RELEASEGATE_REGISTRY_USERNAME}/{@code _PASSWORD}, docker's
   * config.json (with its credential helpers), then the well-known credential helpers, as Jib does.
   */
  private static Optional<Credential> credential(String host, String path, RegistrySettings settings) {
    String username = settings.environment().get(RegistrySettings.USERNAME_VARIABLE);
    String password = settings.environment().get(RegistrySettings.PASSWORD_VARIABLE);
    if (username != null && password != null) {
      return Optional.of(Credential.from(username, password));
    }
    CredentialRetrieverFactory factory =
        CredentialRetrieverFactory.forImage(ImageReference.of(host, path, null), event -> {});
    for (CredentialRetriever retriever : new CredentialRetriever[] {factory.dockerConfig(), factory.wellKnownCredentialHelpers()}) {
      try {
        Optional<Credential> found = retriever.retrieve();
        if (found.isPresent()) {
          return found;
        }
      } catch (CredentialRetrievalException e) {
        settings.log().accept("registry credentials for " + host + " could not be read: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Refuses to buffer more than a limit, so a hostile registry cannot exhaust memory. */
  private static final class LimitedOutputStream extends OutputStream {
    private final OutputStream out;
    private final long limit;
    private final String what;
    private long written;

    LimitedOutputStream(OutputStream out, long limit, String what) {
      this.out = out;
      this.limit = limit;
      this.what = what;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      written += len;
      if (written > limit) {
        throw new IOException(what + " is larger than " + limit + " bytes");
      }
      out.write(b, off, len);
    }
  }
}
