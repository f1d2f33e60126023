package dev.releasegate.stages.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.releasegate.base.Json;
import dev.releasegate.image.ImageConfig;
import dev.releasegate.image.TestLayers;
import dev.releasegate.stages.readiness.Evaluation.Verdict;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each check on synthetic image configs: what passes, what is violated, what does not apply, and what it says. */
class LintTest {
  private static final String BASE_DIGEST = "sha256:" + "cd".repeat(32);
  private static final Lint.Policy POLICY = new Lint.Policy(200, List.of("1.0.0", "abc1234"));

  /** The config the jib stage writes for the example service, in the OCI format. */
  static ObjectNode goodConfig() {
    ObjectNode root = Json.object();
    ObjectNode config = root.putObject("config");
    config.put("User", "65532");
    config.putArray("Env").add("PATH=/opt/java/openjdk/bin:/usr/bin:/bin").add("RELEASE_VERSION=1.0.0");
    ObjectNode labels = config.putObject("Labels");
    labels.put("org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567");
    labels.put("org.opencontainers.image.source", "https://example.test/acme/service.git");
    labels.put("org.opencontainers.image.created", "2026-01-02T03:04:05Z");
    labels.put("org.opencontainers.image.version", "1.0.0");
    labels.put("org.opencontainers.image.base.name", "127.0.0.1:5000/base/java17");
    labels.put("org.opencontainers.image.base.digest", BASE_DIGEST);
    config.putArray("Entrypoint").add("java").add("-XX:MaxRAMPercentage=75.0").add("-cp").add("@/app/jib-classpath-file").add("Main");
    config.putObject("ExposedPorts").putObject("8080/tcp");
    return root;
  }

  static ImageConfig parse(ObjectNode root, boolean docker) {
    try {
      return ImageConfig.parse(Json.compact(root), docker);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static ImageContents cleanFiles() {
    return LayerScannerTest.contents(TestLayers.layer().file("app/classes/Main.class", "cafe").gzip());
  }

  private static ObjectNode config(ObjectNode root) {
    return (ObjectNode) root.get("config");
  }

  private static Map<LintRule, Verdict> verdicts(List<Evaluation> evaluations) {
    Map<LintRule, Verdict> verdicts = new EnumMap<>(LintRule.class);
    evaluations.forEach(evaluation -> verdicts.put(evaluation.check(), evaluation.verdict()));
    return verdicts;
  }

  @Test
  void theExampleServiceConfigPassesEveryCheckThatApplies() {
    List<Evaluation> evaluations = Lint.evaluate(parse(goodConfig(), false), cleanFiles(), POLICY);

    assertEquals(List.of(LintRule.values()), evaluations.stream().map(Evaluation::check).toList(), "every check, in order");
    Map<LintRule, Verdict> expected = new EnumMap<>(LintRule.class);
    for (LintRule check : LintRule.values()) {
      expected.put(check, Verdict.OK);
    }
    expected.put(LintRule.HEALTHCHECK, Verdict.NOT_APPLICABLE);
    assertEquals(expected, verdicts(evaluations));
  }

  // ---- RG-IMG-001 non-root ----

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "00", "0:0", "root", "root:root", "0:65532"})
  void rootInAnyFormIsViolated(String user) {
    ObjectNode root = goodConfig();
    config(root).put("User", user);
    Evaluation evaluation = Lint.nonRoot(parse(root, false), cleanFiles());
    assertEquals(Verdict.VIOLATED, evaluation.verdict());
    assertEquals(user.isEmpty() ? "no user set: runs as root" : "user " + user + " is root", evaluation.measured());
  }

  @ParameterizedTest
  @ValueSource(strings = {"65532", "65532:0", "1000:1000", "1000:nogroup"})
  void nonRootUsersPass(String user) {
    ObjectNode root = goodConfig();
    config(root).put("User", user);
    assertEquals(Verdict.OK, Lint.nonRoot(parse(root, false), cleanFiles()).verdict());
  }

  @Test
  void namedUsersAreLookedUpInTheImagesPasswd() {
    ImageContents files = LayerScannerTest.contents(TestLayers.layer()
        .file("etc/passwd", "root:x:0:0::/root:/sbin/nologin\nadmin:x:0:0::/:/sbin/nologin\napp:x:1000:1000::/:/sbin/nologin\n").gzip());
    ObjectNode root = goodConfig();
    config(root).put("User", "admin");
    assertEquals(Evaluation.violated(LintRule.NON_ROOT, "user admin has uid 0 in /etc/passwd"), Lint.nonRoot(parse(root, false), files));
    config(root).put("User", "app");
    assertEquals(Evaluation.ok(LintRule.NON_ROOT, "user app (uid 1000)"), Lint.nonRoot(parse(root, false), files));
    config(root).put("User", "ghost");
    assertEquals(Evaluation.violated(LintRule.NON_ROOT, "user ghost is not in /etc/passwd: its uid cannot be known"),
        Lint.nonRoot(parse(root, false), files), "a name that resolves to nothing is no proof of anything");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+0", "-0", "0x0", " 0", "0 ", "app:", ":0", "a:b:c", "ap p"})
  void aUserFieldThatIsNotStrictlyUserAndGroupIsViolated(String user) {
    ObjectNode root = goodConfig();
    config(root).put("User", user);
    assertEquals(Evaluation.violated(LintRule.NON_ROOT, "user '" + user + "' is not USER[:GROUP] with a decimal id or a name in each"),
        Lint.nonRoot(parse(root, false), cleanFiles()));
  }

  @Test
  void aNameIsResolvedOnlyThroughARegularBoundedPasswdNotThroughALink() {
    String passwd = "root:x:0:0::/root:/sbin/nologin\napp:x:0:0::/:/sbin/nologin\n";
    ObjectNode root = goodConfig();
    config(root).put("User", "app");
    Map<String, ImageContents> attempts = Map.of(
        "/etc/passwd is a symbolic link", LayerScannerTest.contents(TestLayers.layer()
            .file("etc/shadow-passwd", passwd).symlink("etc/passwd", "/etc/shadow-passwd").gzip()),
        "/etc/passwd is a hardlink", LayerScannerTest.contents(TestLayers.layer()
            .file("etc/real", passwd).hardlink("etc/passwd", "etc/real").gzip()),
        "/etc is a symbolic link", LayerScannerTest.contents(TestLayers.layer()
            .file("private/etc/passwd", passwd).symlink("etc", "/private/etc").gzip()),
        "/etc/passwd is " + (LayerScanner.MAX_PASSWD_BYTES + 1 + passwd.length()) + " bytes, more than " + LayerScanner.MAX_PASSWD_BYTES,
        LayerScannerTest.contents(TestLayers.layer().file("etc/passwd", passwd + "#".repeat(LayerScanner.MAX_PASSWD_BYTES) + "\n").gzip()),
        "the image has no /etc/passwd", cleanFiles());
    attempts.forEach((why, files) -> assertEquals(Evaluation.violated(LintRule.NON_ROOT, "user app cannot be resolved: " + why),
        Lint.nonRoot(parse(root, false), files), why));
  }

  // ---- RG-IMG-002 secrets in the config ----

  @Test
  void secretsInEnvLabelsAndArgumentsAreNamedButNeverShown() {
    ObjectNode root = goodConfig();
    ArrayNode env = (ArrayNode) config(root).get("Env");
    env.add("DB_PASSWORD=hunter2").add("DB_PASSWORD_FILE=/run/secrets/db").add("EMPTY_TOKEN=").add("UPLOAD=AKIAZ7VQ3JX5RTMWP4LN");
    ((ObjectNode) config(root).get("Labels")).put("com.example.mirror", "https://robot:hunter3@mirror.example.test/repo");
    ((ArrayNode) config(root).get("Entrypoint")).add("--db-password=hunter4");

    Evaluation evaluation = Lint.configSecrets(parse(root, false));

    assertEquals(Verdict.VIOLATED, evaluation.verdict());
    assertEquals(List.of(
        "ENV DB_PASSWORD: secret-like name with a value (value not shown)",
        "ENV UPLOAD: an AWS access key id (value not shown)",
        "label com.example.mirror: a URL with user:password@ (value not shown)",
        "command argument 6: secret-like name with a value (value not shown)"), evaluation.findings());
    assertEquals("secrets in ENV DB_PASSWORD, ENV UPLOAD, label com.example.mirror and 1 more", evaluation.measured());
    String everything = evaluation.toString();
    for (String secret : List.of("hunter2", "hunter3", "hunter4", "AKIAZ7VQ3JX5RTMWP4LN", "robot")) {
      assertFalse(everything.contains(secret), secret + " leaked into " + everything);
    }
  }

  @Test
  void aCleanConfigSaysWhatItLookedAt() {
    assertEquals(Evaluation.ok(LintRule.CONFIG_SECRETS, "none in 2 ENV variables, 6 labels, 5 command arguments"),
        Lint.configSecrets(parse(goodConfig(), false)));
  }

  // ---- RG-IMG-003 secrets in files ----

  @Test
  void fileSecretsAreListedWithTheirLayer() {
    ImageContents files = LayerScannerTest.contents(
        TestLayers.layer().file("app/a.txt", "a").gzip(),
        TestLayers.layer().file("app/tls.pem", LayerScannerTest.PEM_KEY).gzip());
    Evaluation evaluation = Lint.fileSecrets(files);
    assertEquals(Verdict.VIOLATED, evaluation.verdict());
    assertEquals("secrets in /app/tls.pem", evaluation.measured());
    assertEquals("none found; scanned 1 file in 1 layer", Lint.fileSecrets(cleanFiles()).measured());
    assertEquals(List.of("/app/tls.pem in layer 2 (sha256:abababababab): PEM private key"), evaluation.findings());
  }

  // ---- RG-IMG-004 size ----

  @Test
  void sizeIsComparedCompressedAndUncompressed() {
    ImageContents files = LayerScannerTest.contents(TestLayers.layer().file("zeros", new byte[3_000_000]).gzip());
    Evaluation small = Lint.size(files, new Lint.Policy(1, List.of()));
    assertEquals(Verdict.VIOLATED, small.verdict());
    assertEquals(List.of("uncompressed size 3.0 MB is over maxImageMb 1"), small.findings(),
        "zeros compress well: only the uncompressed size is over the limit");
    assertEquals(Verdict.OK, Lint.size(files, new Lint.Policy(4, List.of())).verdict());
    assertEquals("compressed 0.0 MB, uncompressed 3.0 MB, extracted 3.0 MB (limit 4 MB)", Lint.size(files, new Lint.Policy(4, List.of())).measured());
  }

  @Test
  void sparseFilesCountTheirFullSizeAsARuntimeExtractsThem() {
    // 20,000 sparse files of 2 GiB in a 390 KB layer: the tar stream is small, the extracted image is not.
    ImageContents files = new ImageContents(
        List.of(new LayerReport(1, "sha256:ab", 390_000, 51_000_000, 20_000L * 2_147_483_000L, 20_000, 0, List.of())),
        List.of(), new java.util.TreeSet<>(), new ImageContents.PasswdFile.Unusable("none"));
    Evaluation evaluation = Lint.size(files, new Lint.Policy(200, List.of()));
    assertEquals(Verdict.VIOLATED, evaluation.verdict());
    assertEquals(List.of("extracted size 42949660.0 MB is over maxImageMb 200 (sparse files count their full size)"), evaluation.findings());
  }

  // ---- RG-IMG-005 labels, RG-IMG-006 base ----

  @Test
  void missingAndEmptyLabelsAreNamed() {
    ObjectNode root = goodConfig();
    ObjectNode labels = (ObjectNode) config(root).get("Labels");
    labels.remove("org.opencontainers.image.source");
    labels.put("org.opencontainers.image.version", " ");
    Evaluation evaluation = Lint.ociLabels(parse(root, false));
    assertEquals(Verdict.VIOLATED, evaluation.verdict());
    assertEquals("missing: source, version", evaluation.measured());
  }

  @Test
  void aBaseByTagOnlyIsNotPinned() {
    ObjectNode root = goodConfig();
    ObjectNode labels = (ObjectNode) config(root).get("Labels");
    labels.put("org.opencontainers.image.base.name", "127.0.0.1:5000/base/java17:17");
    labels.remove("org.opencontainers.image.base.digest");
    assertEquals(Evaluation.violated(LintRule.PINNED_BASE, "base 127.0.0.1:5000/base/java17:17, no digest",
            List.of("label org.opencontainers.image.base.digest is missing or empty")),
        Lint.pinnedBase(parse(root, false)));

    labels.put("org.opencontainers.image.base.digest", "latest");
    assertEquals(List.of("label org.opencontainers.image.base.digest is 'latest', not sha256:<64 hex>"),
        Lint.pinnedBase(parse(root, false)).findings());
    labels.remove("org.opencontainers.image.base.name");
    labels.put("org.opencontainers.image.base.digest", BASE_DIGEST);
    assertEquals(List.of("label org.opencontainers.image.base.name is missing or empty"), Lint.pinnedBase(parse(root, false)).findings());
  }

  // ---- RG-IMG-007 exec form ----

  @Test
  void shellFormIsViolatedWhereverItSits() {
    assertEquals(Evaluation.violated(LintRule.EXEC_FORM, "runs through a shell: /bin/sh -c …"),
        Lint.execForm(withCommand(List.of("/bin/sh", "-c", "java -jar app.jar --token=x"), List.of())));
    assertEquals(Verdict.VIOLATED, Lint.execForm(withCommand(List.of(), List.of("sh", "-ec", "exec server"))).verdict(),
        "a shell-form CMD without an entrypoint is the process too");
    assertEquals(Verdict.VIOLATED, Lint.execForm(withCommand(List.of("/usr/bin/bash", "-lc", "server"), List.of())).verdict());
    assertEquals(Evaluation.violated(LintRule.EXEC_FORM, "no Entrypoint or Cmd"), Lint.execForm(withCommand(List.of(), List.of())));
    assertEquals(Evaluation.ok(LintRule.EXEC_FORM, "exec form: /app/server"),
        Lint.execForm(withCommand(List.of("/app/server"), List.of("--port", "8080"))));
  }

  // ---- RG-IMG-008 minimal ----

  @Test
  void packageManagersAndShellsWarn() {
    ImageContents files = LayerScannerTest.contents(
        TestLayers.layer().file("usr/bin/dpkg", "elf").symlink("bin/sh", "dash").file("usr/local/bin/app", "elf").gzip());
    Evaluation evaluation = Lint.minimal(files);
    assertEquals(Verdict.VIOLATED, evaluation.verdict());
    assertEquals(LintRule.Severity.WARN, evaluation.check().severity());
    assertEquals("/bin/sh, /usr/bin/dpkg", evaluation.measured());
  }

  // ---- RG-IMG-009 ports, RG-IMG-010 tags ----

  @Test
  void anImageWithoutPortsIsViolated() {
    ObjectNode root = goodConfig();
    config(root).remove("ExposedPorts");
    assertEquals(Evaluation.violated(LintRule.EXPOSED_PORT, "no ExposedPorts"), Lint.exposedPort(parse(root, false)));
  }

  @Test
  void latestAmongTheTagsIsViolatedAndNoTagsIsNotApplicable() {
    assertEquals(Verdict.VIOLATED, Lint.noLatest(new Lint.Policy(200, List.of("1.0.0", "latest"))).verdict());
    assertEquals(Verdict.VIOLATED, Lint.noLatest(new Lint.Policy(200, List.of("Latest"))).verdict());
    assertEquals(Evaluation.ok(LintRule.NO_LATEST, "tags 1.0.0, latest-rc"), Lint.noLatest(new Lint.Policy(200, List.of("1.0.0", "latest-rc"))));
    assertEquals(Evaluation.notApplicable(LintRule.NO_LATEST, "no tags given (option tags)"), Lint.noLatest(new Lint.Policy(200, List.of())));
  }

  // ---- RG-IMG-011 JVM memory ----

  @Test
  void javaNeedsAHeapFlagOnTheCommandLineOrInJavaToolOptions() {
    assertEquals(Verdict.VIOLATED, Lint.jvmMemory(withCommand(List.of("java", "-jar", "/app/app.jar"), List.of())).verdict());
    assertEquals(Evaluation.ok(LintRule.JVM_MEMORY, "-Xmx512m on the command line"),
        Lint.jvmMemory(withCommand(List.of("/opt/java/openjdk/bin/java", "-Xmx512m", "-jar", "app.jar"), List.of())));
    assertEquals(Evaluation.ok(LintRule.JVM_MEMORY, "-XX:MaxRAMPercentage=80 on the command line"),
        Lint.jvmMemory(withCommand(List.of("/bin/sh", "-c", "exec java -XX:MaxRAMPercentage=80 -jar app.jar"), List.of())));

    ObjectNode root = goodConfig();
    config(root).putArray("Entrypoint").add("java").add("-jar").add("app.jar");
    ((ArrayNode) config(root).get("Env")).add("JAVA_TOOL_OPTIONS=-Dfile.encoding=UTF-8 -XX:MaxRAMPercentage=70");
    assertEquals(Evaluation.ok(LintRule.JVM_MEMORY, "-XX:MaxRAMPercentage=70 in JAVA_TOOL_OPTIONS"), Lint.jvmMemory(parse(root, false)));

    assertEquals(Evaluation.notApplicable(LintRule.JVM_MEMORY, "not a java launcher: /app/server"),
        Lint.jvmMemory(withCommand(List.of("/app/server"), List.of())));
  }

  // ---- RG-IMG-012 health check ----

  @Test
  void healthChecksAreCheckedInDockerConfigsAndNotApplicableToOci() {
    assertEquals(Evaluation.violated(LintRule.HEALTHCHECK, "no Healthcheck in the Docker image config"),
        Lint.healthcheck(parse(goodConfig(), true)));
    assertEquals(Evaluation.notApplicable(LintRule.HEALTHCHECK, "OCI image config has no Healthcheck field; the smoke stage's probes check health"),
        Lint.healthcheck(parse(goodConfig(), false)));

    ObjectNode root = goodConfig();
    config(root).putObject("Healthcheck").putArray("Test").add("CMD").add("/app/health");
    assertEquals(Evaluation.ok(LintRule.HEALTHCHECK, "Healthcheck CMD"), Lint.healthcheck(parse(root, true)));
    config(root).putObject("Healthcheck").putArray("Test").add("NONE");
    assertEquals(Verdict.VIOLATED, Lint.healthcheck(parse(root, true)).verdict());
  }

  private static ImageConfig withCommand(List<String> entrypoint, List<String> cmd) {
    ObjectNode root = goodConfig();
    ArrayNode entry = config(root).putArray("Entrypoint");
    entrypoint.forEach(entry::add);
    ArrayNode command = config(root).putArray("Cmd");
    cmd.forEach(command::add);
    return parse(root, false);
  }
}
