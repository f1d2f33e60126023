package dev.releasegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real OCI registry (Debian's {@code docker-registry}, distribution 2.8) on a free loopback port,
 * for integration tests:
 *
 * <pre>
 * &#64;RegisterExtension static LocalRegistry registry = new LocalRegistry();
 * ... registry.address()  // "127.0.0.1:PORT", plain HTTP
 * </pre>
 *
 * It starts before the first test of the class and stops (and deletes its storage) after the last.
 * Config, storage and the log live in one temp directory; deletes are enabled. {@link #stop()} and
 * {@link #start()} restart it on the same port with the same content, so fault tests can take the
 * registry away in the middle of a run. The log keeps one access-log line per request ({@link
 * #requests}) so tests can prove what was (not) written.
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {

  /** Every manifest type a registry may hold; HEAD without them returns only Docker v2 schema 1. */
  public static final String MANIFEST_ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Duration STARTUP = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dir;
  private int port; // 0 until the first start: the kernel picks a free one, we keep it
  private Process process;
  private String ownerContext; // the test class that started us; nested classes must not stop us
  private boolean shutdownHookAdded;
  private String user;
  private String password;
  private boolean referrersApi;

  /**
   * Requires HTTP basic authentication with this user and password (htpasswd, bcrypt), as a private
   * registry does. Call before the registry starts.
   */
  public LocalRegistry withBasicAuth(String user, String password) {
    this.user = user;
    this.password = password;
    return this;
  }

  /**
   * Serves go-containerregistry's registry (src/test/go/ociregistry, built by scripts/peers) instead:
   * one with the OCI 1.1 referrers API, which distribution 2.8 lacks. Its manifests live in memory, so
   * a {@link #stop()} loses them; fault tests that restart the registry use the default.
   */
  public LocalRegistry withReferrersApi() {
    this.referrersApi = true;
    return this;
  }

  /** Whether this registry answers the referrers API (else clients keep the referrers tag schema). */
  public boolean hasReferrersApi() {
    return referrersApi;
  }

  @Override
  public String toString() {
    return referrersApi ? "a registry with the referrers API" : "docker-registry 2.8 (referrers tag schema)";
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (ownerContext == null) {
      ownerContext = context.getUniqueId();
      start();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(ownerContext)) {
      ownerContext = null;
      stop();
      deleteRecursively(dir);
      dir = null;
      port = 0;
    }
  }

  /** Starts the registry; after {@link #stop()} on the same port and with the same storage. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("releasegate-registry");
        Files.createDirectories(dir.resolve("data"));
      }
      if (user != null && referrersApi) {
        throw new IllegalStateException("the registry with the referrers API has no authentication");
      }
      if (user != null) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        String hash = org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10);
        Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
      }
      Files.writeString(dir.resolve("config.yml"), config(port));
      long logOffset = Files.exists(logFile()) ? Files.size(logFile()) : 0;
      List<String> command = referrersApi
          ? List.of(Peers.bin("ociregistry").toString(), "-addr", "127.0.0.1:" + port, "-dir", storageDirectory().toString())
          : List.of("docker-registry", "serve", dir.resolve("config.yml").toString());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .start();
      if (!shutdownHookAdded) {
        // A test JVM that dies must not leave registries behind.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
        shutdownHookAdded = true;
      }
      waitUntilReady(logOffset);
    } catch (IOException e) {
      if (process == null) {
        throw new IllegalStateException(
            "cannot start docker-registry (Debian: apt-get install docker-registry): " + e, e);
      }
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the registry; the port then refuses connections. Storage and log stay. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** {@code 127.0.0.1:PORT}: prefix of image references, e.g. {@code address() + "/hello:1"}. */
  public String address() {
    if (port == 0) {
      throw new IllegalStateException("registry not started");
    }
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The registry's own log: startup messages and one access-log line per request. */
  public Path logFile() {
    return dir.resolve("registry.log");
  }

  /** The filesystem storage root (docker/registry/v2/...). */
  public Path storageDirectory() {
    return dir.resolve("data");
  }

  /**
   * Access-log lines ({@code 127.0.0.1 - - [date] "PUT /v2/app/manifests/1.0 HTTP/1.1" 201 ...})
   * whose method is {@code method} (null for any) and whose path matches {@code pathRegex}.
   */
  public List<String> requests(String method, String pathRegex) {
    Pattern request = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[\\d.]+\"");
    Pattern path = Pattern.compile(pathRegex);
    List<String> matching = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(logFile(), StandardCharsets.UTF_8)) {
        Matcher m = request.matcher(line);
        if (m.find()
            && (method == null || m.group(1).equals(method))
            && path.matcher(m.group(2)).find()) {
          matching.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return matching;
  }

  /** The digest {@code repository:reference} points to, or empty if there is no such manifest. */
  public Optional<String> manifestDigest(String repository, String reference) {
    HttpResponse<byte[]> response =
        send("HEAD", "/v2/" + repository + "/manifests/" + reference, MANIFEST_ACCEPT);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expectOk(response, "HEAD manifest " + repository + ":" + reference);
    return response.headers().firstValue("Docker-Content-Digest");
  }

  /** The manifest bytes exactly as stored (their sha256 is the digest), or empty. */
  public Optional<byte[]> manifest(String repository, String reference) {
    HttpResponse<byte[]> response =
        send("GET", "/v2/" + repository + "/manifests/" + reference, MANIFEST_ACCEPT);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expectOk(response, "GET manifest " + repository + ":" + reference);
    return Optional.of(response.body());
  }

  /**
   * The OCI index of the referrers of {@code digest}: the registry's own answer where it has the
   * referrers API, else the index under the referrers tag ({@code sha256-<hex>}), as clients keep it.
   */
  public Optional<byte[]> referrers(String repository, String digest) {
    if (!referrersApi) {
      return manifest(repository, digest.replace(':', '-'));
    }
    HttpResponse<byte[]> response = send("GET", "/v2/" + repository + "/referrers/" + digest, null);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expectOk(response, "GET referrers " + repository + "@" + digest);
    return Optional.of(response.body());
  }

  /** Deletes a manifest by digest, as an operator cleaning up would; what refers to it is left as it is. */
  public void deleteManifest(String repository, String digest) {
    HttpResponse<byte[]> response = send("DELETE", "/v2/" + repository + "/manifests/" + digest, null);
    if (response.statusCode() != 202) {
      throw new IllegalStateException("DELETE manifest " + repository + "@" + digest + ": HTTP " + response.statusCode());
    }
  }

  /** A blob (config, layer) by digest, or empty. */
  public Optional<byte[]> blob(String repository, String digest) {
    HttpResponse<byte[]> response = send("GET", "/v2/" + repository + "/blobs/" + digest, null);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    expectOk(response, "GET blob " + repository + "@" + digest);
    return Optional.of(response.body());
  }

  /** Puts manifest bytes under {@code reference}, as a client that skips every check would; returns their digest. */
  public String putManifest(String repository, String reference, byte[] bytes, String mediaType) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/" + repository + "/manifests/" + reference))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (user != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 201) {
        throw new IllegalStateException("PUT manifest " + repository + ":" + reference + ": " + response.statusCode());
      }
      return response.headers().firstValue("Docker-Content-Digest").orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Tags of a repository, sorted; empty if the repository does not exist. */
  public List<String> tags(String repository) {
    HttpResponse<byte[]> response = send("GET", "/v2/" + repository + "/tags/list", null);
    if (response.statusCode() == 404) {
      return List.of();
    }
    expectOk(response, "GET tags of " + repository);
    return sortedStrings(json(response).path("tags"));
  }

  /** Names of all repositories, sorted (the first 1000: distribution's page limit). */
  public List<String> catalog() {
    HttpResponse<byte[]> response = send("GET", "/v2/_catalog?n=1000", null);
    expectOk(response, "GET catalog");
    return sortedStrings(json(response).path("repositories"));
  }

  private HttpResponse<byte[]> send(String method, String path, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + address() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (accept != null) {
      request.header("Accept", accept);
    }
    if (user != null) {
      request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void waitUntilReady(long logOffset) throws IOException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            this + " exited with " + process.exitValue() + ":\n" + logSince(logOffset));
      }
      if (port == 0) {
        Matcher m = LISTENING.matcher(logSince(logOffset));
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      if (port != 0 && answers()) {
        return;
      }
      sleep(50);
    }
    stop();
    throw new IllegalStateException(
        this + " did not answer GET /v2/ within " + STARTUP + ":\n" + logSince(logOffset));
  }

  private boolean answers() {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/"))
              .timeout(Duration.ofSeconds(2))
              .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      // With authentication, an unauthenticated ping answers 401: listening and ready.
      return status == 200 || user != null && status == 401;
    } catch (IOException e) { // typically ConnectException: not listening yet
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String logSince(long offset) throws IOException {
    byte[] all = Files.readAllBytes(logFile());
    int from = (int) Math.min(offset, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  private String config(int listenPort) {
    return String.join(
        "\n",
        "version: 0.1",
        "log:",
        "  level: info",
        "  formatter: text",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + storageDirectory(),
        "  delete:",
        "    enabled: true",
        "  maintenance:",
        "    uploadpurging:",
        "      enabled: false",
        "http:",
        "  addr: 127.0.0.1:" + listenPort,
        // A fixed secret: upload URLs handed out before a restart stay valid after it.
        "  secret: releasegate-test-" + dir.getFileName(),
        user == null ? "" : "auth:\n  htpasswd:\n    realm: releasegate-test\n    path: " + dir.resolve("htpasswd") + "\n");
  }

  private static void expectOk(HttpResponse<byte[]> response, String what) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          what + ": HTTP " + response.statusCode() + " "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
  }

  private static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> sortedStrings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    values.sort(null);
    return values;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory must not fail the tests
    }
  }
}
