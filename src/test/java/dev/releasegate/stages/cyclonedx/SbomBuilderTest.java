package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.releasegate.base.Digests;
import dev.releasegate.base.EnvironmentException;
import dev.releasegate.base.ImageReference;
import dev.releasegate.base.Json;
import dev.releasegate.image.ImageConfig;
import dev.releasegate.image.TestLayers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.cyclonedx.Version;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SBOM of a small synthetic image: two gzip layers made in the test (a distroless-style base with
 * status.d records, and a jib-style application layer), read by the stage's own code path from blob
 * bytes to validated JSON.
 */
class SbomBuilderTest {
  static final ImageReference IMAGE = new ImageReference("127.0.0.1:5000/acme/hello", "sha256:" + "ab".repeat(32));
  static final String CONFIG_DIGEST = "sha256:" + "cd".repeat(32);
  static final Instant COMMIT_TIME = Instant.parse("2026-01-02T03:04:05Z");
  static final String DEP5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n";

  static final byte[] CORE = TestJars.mavenJar("com.acme", "core", "3.1", TestJars.pomXml("com.acme", "core"));
  static final byte[] WIDGET = TestJars.mavenJar("com.acme", "widget", "1.2", TestJars.pomXml("com.acme", "widget", "com.acme:core"));
  static final byte[] SHADED = shadedJar();
  static final byte[] MANIFEST_ONLY = TestJars.jar(Map.of("Implementation-Title", "legacy-lib", "Implementation-Version", "0.9",
      "Implementation-Vendor", "Legacy Inc."), Map.of("legacy/Lib.class", new byte[] {1}));
  static final byte[] NAME_ONLY = TestJars.jar(Map.of(), Map.of("x/X.class", new byte[] {2}));
  static final byte[] AGENT = TestJars.mavenJar("org.agent", "agent", "2.0", null);
  static final byte[] JRT_FS = TestJars.jar(Map.of("Implementation-Title", "Java Runtime Environment",
      "Implementation-Version", "17.0.15"), Map.of("jdk/internal/jrtfs/JrtFileSystem.class", new byte[] {3}));
  static final byte[] DELETED = TestJars.mavenJar("org.gone", "deleted", "1.0", null);

  static List<byte[]> layers;
  static JsonNode bom;
  static byte[] bytes;

  @BeforeAll
  static void build() throws IOException {
    layers = List.of(TestLayers.gzip(baseLayer()), TestLayers.gzip(appLayer()));
    bytes = sbom(layers);
    bom = Json.parse(bytes);
  }

  static byte[] baseLayer() {
    return TestLayers.layer()
        .file("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("var/lib/dpkg/status.d/libc6", DebianTest.LIBC6)
        .file("var/lib/dpkg/status.d/libc6.md5sums", "d41d8cd98f00b204e9800998ecf8427e  lib/x86_64-linux-gnu/libc.so.6\n")
        .file("var/lib/dpkg/status.d/gcc-12-base", "Package: gcc-12-base\nVersion: 12.2.0-14+deb12u1\nArchitecture: amd64\nSource: gcc-12\n")
        .file("var/lib/dpkg/status.d/libgcc-s1", "Package: libgcc-s1\nVersion: 12.2.0-14+deb12u1\nArchitecture: amd64\nSource: gcc-12\n"
            + "Provides: libgcc1 (= 1:12.2.0-14+deb12u1)\nDepends: gcc-12-base (= 12.2.0-14+deb12u1), libc6 (>= 2.35)\n")
        .file("var/lib/dpkg/status.d/zlib1g", "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\nSource: zlib\n"
            + "Depends: libc6 (>= 2.14), libgcc1 | libgcc-s2\n")
        .file("usr/share/doc/libc6/copyright", DEP5 + "Files: *\nLicense: LGPL-2.1+ and GPL-2+\n")
        .file("usr/share/doc/gcc-12-base/copyright", DEP5 + "Files: *\nLicense: GPL-3+ with GCC-Runtime-Library exception\n")
        .symlink("usr/share/doc/libgcc-s1", "gcc-12-base")
        .file("usr/share/doc/zlib1g/copyright", "Zlib is free software, see its README.\n")
        .file("opt/java/openjdk/release", "IMPLEMENTOR=\"Debian\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"\n"
            + "JAVA_VERSION=\"17.0.15\"\nMODULES=\"java.base java.logging\"\n")
        .file("opt/java/openjdk/lib/jrt-fs.jar", JRT_FS)
        .file("opt/tools/deleted-1.0.jar", DELETED)
        .tar();
  }

  static byte[] appLayer() {
    return TestLayers.layer()
        .whiteout("opt/tools/deleted-1.0.jar")
        .file("app/libs/core-3.1.jar", CORE)
        .file("app/libs/widget-1.2.jar", WIDGET)
        .file("app/libs/app-all-1.0.jar", SHADED)
        .file("app/libs/legacy.jar", MANIFEST_ONLY)
        .file("app/libs/tool-4.5.6.jar", NAME_ONLY)
        .file("opt/extra/core-3.1.jar", CORE)
        .file("opt/agent/agent-2.0.jar", AGENT)
        .file("app/classes/com/acme/hello/Main.class", "main")
        .file("app/resources/application.properties", "port=8080\n")
        .tar();
  }

  /** A shaded jar named after one of its two artifacts, with a Spring-Boot-style nested jar. */
  static byte[] shadedJar() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(TestJars.pomPropertiesPath("com.acme", "app-all"), TestJars.pomProperties("com.acme", "app-all", "1.0"));
    entries.put(TestJars.pomPropertiesPath("com.google.guava", "guava"), TestJars.pomProperties("com.google.guava", "guava", "33.0.0-jre"));
    entries.put("BOOT-INF/lib/slf4j-api-2.0.17.jar", TestJars.mavenJar("org.slf4j", "slf4j-api", "2.0.17", null));
    return TestJars.jar(Map.of(), entries);
  }

  static ImageConfig config(List<String> diffIds) {
    return new ImageConfig(false, "amd64", "linux", "", Map.of(),
        Map.of("org.opencontainers.image.title", "hello", "org.opencontainers.image.version", "1.0.0",
            "org.opencontainers.image.revision", "0123456789abcdef0123456789abcdef01234567"),
        List.of("java", "-cp", "@/app/jib-classpath-file", "com.acme.hello.Main"), List.of(), List.of(), "/app", Optional.empty(), diffIds);
  }

  static byte[] sbom(List<byte[]> blobs) throws IOException {
    List<String> diffIds = new ArrayList<>();
    for (byte[] blob : blobs) {
      try (InputStream tar = new GZIPInputStream(new ByteArrayInputStream(blob))) {
        diffIds.add("sha256:" + Digests.sha256Hex(tar.readAllBytes()));
      }
    }
    SbomBuilder.Sbom sbom = new SbomBuilder(IMAGE, CONFIG_DIGEST, config(diffIds), SbomFilesTest.read(blobs), COMMIT_TIME, "9.9.9").build();
    return SbomJson.write(sbom.bom());
  }

  // ---- the document ----

  @Test
  void isValidCycloneDx16WithTheImageAsSubject() throws IOException {
    assertEquals(List.of(), new JsonParser().validate(bytes, Version.VERSION_16));
    assertEquals("CycloneDX", bom.get("bomFormat").asText());
    assertEquals("1.6", bom.get("specVersion").asText());
    assertEquals("2026-01-02T03:04:05Z", bom.at("/metadata/timestamp").asText(), "the commit time, not the clock");
    assertEquals("releasegate", bom.at("/metadata/tools/components/0/name").asText());
    assertEquals("9.9.9", bom.at("/metadata/tools/components/0/version").asText());

    JsonNode image = bom.at("/metadata/component");
    assertEquals("container", image.get("type").asText());
    assertEquals("127.0.0.1:5000/acme/hello", image.get("name").asText());
    assertEquals(IMAGE.digest(), image.get("version").asText());
    assertEquals("pkg:oci/hello@sha256%3A" + "ab".repeat(32) + "?arch=amd64&repository_url=127.0.0.1%3A5000%2Facme%2Fhello",
        image.get("purl").asText());
    assertEquals(IMAGE.toString(), property(image, "aquasecurity:trivy:RepoDigest"), "trivy sbom reports name the digest");
    assertEquals(CONFIG_DIGEST, property(image, "aquasecurity:trivy:ImageID"));
    assertEquals("hello", property(image, "org.opencontainers.image.title"));
  }

  @Test
  void serialNumberIsANameBasedUuidOfToolAndImage() {
    UUID expected = UUID.nameUUIDFromBytes(("releasegate 9.9.9 cyclonedx " + IMAGE).getBytes(StandardCharsets.UTF_8));
    assertEquals("urn:uuid:" + expected, bom.get("serialNumber").asText());
  }

  @Test
  void sameImageGivesByteIdenticalSbom() throws IOException {
    byte[] again = sbom(List.of(layers.get(0).clone(), layers.get(1).clone()));
    assertArrayEquals(bytes, again, "a second run over the same layers writes the same bytes");

    byte[] otherApp = TestLayers.gzip(TestLayers.layer().file("app/classes/com/acme/hello/Main.class", "changed").tar());
    assertNotEquals(new String(bytes, StandardCharsets.UTF_8), new String(sbom(List.of(layers.get(0), otherApp)), StandardCharsets.UTF_8));
  }

  @Test
  void labelsThatTheLintCallsSecretsAreCopiedWithAMarkerInsteadOfTheirValue() throws IOException {
    String token = "ghp_" + "a1B2c3D4e5".repeat(3) + "f6G7h8";
    ImageConfig base = config(List.of());
    java.util.Map<String, String> labels = new java.util.HashMap<>(base.labels());
    labels.putAll(Map.of("com.example.db", "pw=hunter2", "com.example.ci", token, "com.example.team", "payments"));
    ImageConfig withSecrets = new ImageConfig(false, "amd64", "linux", "", Map.of(), labels, base.entrypoint(), base.cmd(), List.of(), "/app",
        Optional.empty(), base.diffIds());
    byte[] written = SbomJson.write(new SbomBuilder(IMAGE, CONFIG_DIGEST, withSecrets, SbomFilesTest.read(layers), COMMIT_TIME, "9.9.9").build().bom());
    JsonNode image = Json.parse(written).at("/metadata/component");

    assertEquals("[removed by releasegate: a password assignment]", property(image, "com.example.db"));
    assertEquals("[removed by releasegate: a GitHub token]", property(image, "com.example.ci"));
    assertEquals("payments", property(image, "com.example.team"));
    String text = new String(written, StandardCharsets.UTF_8);
    assertFalse(text.contains("hunter2") || text.contains(token), "no secret value anywhere in the SBOM");
  }

  // ---- operating system and Debian packages ----

  @Test
  void debianPackagesHavePurlsWithDistroSourceAndPlainLicences() {
    assertEquals(List.of("gcc-12-base", "libc6", "libgcc-s1", "zlib1g"),
        components("library").stream().filter(c -> c.path("purl").asText().startsWith("pkg:deb/")).map(c -> c.get("name").asText()).toList(),
        "every status.d record except the md5sums file");
    JsonNode zlib = byName("zlib1g");
    assertEquals("1:1.2.13.dfsg-1", zlib.get("version").asText(), "the exact Debian version, epoch included");
    assertEquals("pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12", zlib.get("purl").asText());
    assertEquals("zlib", property(zlib, "aquasecurity:trivy:SrcName"));
    assertFalse(zlib.has("licenses"), "a free-form copyright file states no licence plainly");

    JsonNode libc = byName("libc6");
    assertEquals("glibc", property(libc, "aquasecurity:trivy:SrcName"));
    assertEquals("2.36-9+deb12u14", property(libc, "aquasecurity:trivy:SrcVersion"));
    assertEquals("GNU C Library: Shared libraries", libc.get("description").asText());
    assertEquals(List.of("GPL-2.0-or-later", "LGPL-2.1-or-later"), texts(libc.get("licenses"), "/license/id"));
    assertEquals("/var/lib/dpkg/status.d/libc6", libc.at("/evidence/occurrences/0/location").asText());

    JsonNode libgcc = byName("libgcc-s1");
    assertEquals(List.of("GPL-3+ with GCC-Runtime-Library exception"), texts(libgcc.get("licenses"), "/license/name"),
        "found through the /usr/share/doc/libgcc-s1 -> gcc-12-base link; not an SPDX id, so a name");

    JsonNode os = components("operating-system").get(0);
    assertEquals("debian", os.get("name").asText());
    assertEquals("12", os.get("version").asText());
  }

  @Test
  void packageDependenciesResolveAmongInstalledPackagesIncludingVirtualOnes() {
    assertEquals(List.of(ref("libc6"), ref("libgcc-s1")), dependsOn(ref("zlib1g")), "libgcc1 is provided by libgcc-s1");
    assertEquals(List.of(ref("gcc-12-base"), ref("libc6")), dependsOn(ref("libgcc-s1")));
    assertEquals(List.of(ref("libgcc-s1")), dependsOn(ref("libc6")));
    assertEquals(List.of(), dependsOn(ref("gcc-12-base")), "known to depend on nothing: an empty entry, not a missing one");
    JsonNode os = components("operating-system").get(0);
    assertEquals(List.of(ref("gcc-12-base"), ref("libc6"), ref("libgcc-s1"), ref("zlib1g")), dependsOn(os.get("bom-ref").asText()));
  }

  // ---- Java: runtime, application, jars ----

  @Test
  void javaRuntimeComesFromItsReleaseFile() {
    JsonNode runtime = components("platform").get(0);
    assertEquals("openjdk", runtime.get("name").asText());
    assertEquals("17.0.15", runtime.get("version").asText());
    assertEquals("Debian", runtime.get("publisher").asText());
    assertEquals("cpe:2.3:a:oracle:openjdk:17.0.15:*:*:*:*:*:*:*", runtime.get("cpe").asText());
    assertEquals("17.0.15+6-Debian-1deb12u1", property(runtime, "releasegate:java:JAVA_RUNTIME_VERSION"));
    assertEquals("/opt/java/openjdk", property(runtime, "releasegate:java:home"));
    assertEquals("Java Runtime Environment", runtime.at("/components/0/name").asText(), "the runtime's own jars are part of it");
    assertEquals(Digests.sha256Hex(JRT_FS), runtime.at("/components/0/hashes/0/content").asText());
    assertTrue(components("library").stream().noneMatch(c -> c.get("name").asText().equals("Java Runtime Environment")),
        "and not libraries of the image beside it");
  }

  @Test
  void applicationIsTheImagesOwnClassesAndResources() {
    JsonNode app = components("application").get(0);
    assertEquals("hello", app.get("name").asText());
    assertEquals("1.0.0", app.get("version").asText());
    assertEquals("com.acme.hello.Main", property(app, "releasegate:app:mainClass"));
    assertEquals("2", property(app, "releasegate:app:files"));
    String listing = Digests.sha256Hex("main".getBytes(StandardCharsets.UTF_8)) + "  classes/com/acme/hello/Main.class\n"
        + Digests.sha256Hex("port=8080\n".getBytes(StandardCharsets.UTF_8)) + "  resources/application.properties\n";
    assertEquals(Digests.sha256Hex(listing.getBytes(StandardCharsets.UTF_8)), property(app, "releasegate:app:filesSha256"),
        "the digest of the sha256sum listing of the tree, so an auditor can recompute it");

    String imageRef = bom.at("/metadata/component/bom-ref").asText();
    List<String> expected = new ArrayList<>(List.of(ref(app), ref(components("platform").get(0)), ref(components("operating-system").get(0)),
        ref(byPurl("pkg:maven/org.agent/agent@2.0"))));
    expected.sort(null);
    assertEquals(expected, dependsOn(imageRef), "the image depends on the application, runtime, OS and the jar outside the application");
    assertEquals(5, dependsOn(ref(app)).size(), "the application depends on its five jars (core is also elsewhere, but it is the same file)");
  }

  @Test
  void jarsAreIdentifiedByPomPropertiesManifestOrFileNameAndHashed() {
    JsonNode widget = byPurl("pkg:maven/com.acme/widget@1.2");
    assertEquals("com.acme", widget.get("group").asText());
    assertEquals(Digests.sha256Hex(WIDGET), widget.at("/hashes/0/content").asText());
    assertEquals("SHA-256", widget.at("/hashes/0/alg").asText());
    assertEquals("META-INF/maven/com.acme/widget/pom.properties", property(widget, "releasegate:identifiedBy"));
    assertEquals("app/libs/widget-1.2.jar", property(widget, "aquasecurity:trivy:FilePath"));
    assertEquals(List.of(ref(byPurl("pkg:maven/com.acme/core@3.1"))), dependsOn(widget.get("bom-ref").asText()),
        "its pom.xml declares core, which is in the image");

    JsonNode legacy = byName("legacy-lib");
    assertEquals("0.9", legacy.get("version").asText());
    assertFalse(legacy.has("purl"), "a manifest does not prove Maven coordinates");
    assertEquals("META-INF/MANIFEST.MF", property(legacy, "releasegate:identifiedBy"));

    JsonNode tool = byName("tool");
    assertEquals("4.5.6", tool.get("version").asText());
    assertEquals("file name", property(tool, "releasegate:identifiedBy"));
    assertEquals(Digests.sha256Hex(NAME_ONLY), tool.at("/hashes/0/content").asText());

    assertTrue(components("library").stream().noneMatch(c -> c.get("name").asText().equals("deleted")),
        "a jar a later layer deleted is not in the image");
  }

  @Test
  void shadedArtifactsAndNestedJarsAreNestedComponents() {
    JsonNode shaded = byPurl("pkg:maven/com.acme/app-all@1.0");
    assertEquals(Digests.sha256Hex(SHADED), shaded.at("/hashes/0/content").asText());
    List<String> nested = new ArrayList<>();
    shaded.get("components").forEach(c -> nested.add(c.get("purl").asText()));
    assertEquals(List.of("pkg:maven/com.google.guava/guava@33.0.0-jre", "pkg:maven/org.slf4j/slf4j-api@2.0.17"), nested);
    assertEquals("/app/libs/app-all-1.0.jar", property(shaded.get("components").get(0), "releasegate:shadedInto"));
    assertEquals("/app/libs/app-all-1.0.jar!/BOOT-INF/lib/slf4j-api-2.0.17.jar",
        shaded.at("/components/1/evidence/occurrences/0/location").asText());
  }

  @Test
  void sameJarAtTwoPathsWithTheSameBytesIsOneComponentFoundTwice() {
    List<JsonNode> cores = components("library").stream().filter(c -> c.path("purl").asText().equals("pkg:maven/com.acme/core@3.1")).toList();
    assertEquals(1, cores.size());
    assertEquals(List.of("/app/libs/core-3.1.jar", "/opt/extra/core-3.1.jar"), texts(cores.get(0).at("/evidence/occurrences"), "/location"));
  }

  @Test
  void bomRefsAndPurlsAreUniqueAndSorted() {
    Set<String> refs = new HashSet<>();
    Set<String> purls = new HashSet<>();
    List<JsonNode> all = new ArrayList<>();
    collect(bom.get("components"), all);
    for (JsonNode component : all) {
      assertTrue(refs.add(component.get("bom-ref").asText()), "duplicate bom-ref " + component.get("bom-ref"));
      if (component.has("purl")) {
        assertTrue(purls.add(component.get("purl").asText()), "duplicate purl " + component.get("purl"));
      }
    }
    List<String> types = new ArrayList<>();
    bom.get("components").forEach(c -> types.add(c.get("type").asText()));
    assertEquals(List.of("operating-system", "platform", "application"), types.subList(0, 3));
    List<String> dependencyRefs = texts(bom.get("dependencies"), "/ref");
    assertEquals(dependencyRefs.stream().sorted().toList(), dependencyRefs);
  }

  // ---- the writer refuses invalid BOMs ----

  @Test
  void bomThatFailsTheSchemaFailsClosedWithAShortMessage() {
    Component component = library("x", "x");
    License license = new License();
    license.setId("not-an-spdx-id");
    LicenseChoice licenses = new LicenseChoice();
    licenses.addLicense(license);
    component.setLicenses(licenses);
    Bom invalid = new Bom();
    invalid.setComponents(List.of(component));

    EnvironmentException e = assertThrows(EnvironmentException.class, () -> SbomJson.write(invalid));
    assertTrue(e.getMessage().startsWith("the generated SBOM is not valid CycloneDX 1.6: "), e.getMessage());
    assertTrue(e.getMessage().contains("does not have a value in the enumeration"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; this is a releasegate bug, please report it"), e.getMessage());
    assertTrue(e.getMessage().length() < 800, "the schema's list of every SPDX id is not repeated: " + e.getMessage().length());
  }

  @Test
  void bomWithDuplicateRefsOrDanglingDependenciesFailsClosed() {
    Bom invalid = new Bom();
    invalid.setComponents(List.of(library("x", "same"), library("y", "same")));
    invalid.setDependencies(List.of(new Dependency("nowhere")));

    EnvironmentException e = assertThrows(EnvironmentException.class, () -> SbomJson.write(invalid));
    assertEquals("the generated SBOM is not valid CycloneDX 1.6: bom-ref same is used twice; dependency names unknown bom-ref nowhere;"
        + " this is a releasegate bug, please report it", e.getMessage(), "valid JSON schema-wise, but not a usable graph");
  }

  private static Component library(String name, String ref) {
    Component component = new Component();
    component.setType(Component.Type.LIBRARY);
    component.setName(name);
    component.setBomRef(ref);
    return component;
  }

  // ---- helpers ----

  static List<JsonNode> components(String type) {
    List<JsonNode> found = new ArrayList<>();
    bom.get("components").forEach(c -> {
      if (c.get("type").asText().equals(type)) {
        found.add(c);
      }
    });
    return found;
  }

  static JsonNode byName(String name) {
    List<JsonNode> all = new ArrayList<>();
    collect(bom.get("components"), all);
    return all.stream().filter(c -> c.get("name").asText().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
  }

  static JsonNode byPurl(String purl) {
    List<JsonNode> all = new ArrayList<>();
    collect(bom.get("components"), all);
    return all.stream().filter(c -> c.path("purl").asText().equals(purl)).findFirst().orElseThrow(() -> new AssertionError("no " + purl));
  }

  private static String ref(String name) {
    return byName(name).get("bom-ref").asText();
  }

  private static String ref(JsonNode component) {
    return component.get("bom-ref").asText();
  }

  static List<String> dependsOn(String ref) {
    for (JsonNode dependency : bom.get("dependencies")) {
      if (dependency.get("ref").asText().equals(ref)) {
        return texts(dependency.get("dependsOn"), "");
      }
    }
    throw new AssertionError("no dependency entry for " + ref);
  }

  static String property(JsonNode component, String name) {
    for (JsonNode property : component.path("properties")) {
      if (property.get("name").asText().equals(name)) {
        return property.get("value").asText();
      }
    }
    throw new AssertionError("no property " + name + " in " + component.path("name"));
  }

  static List<String> texts(JsonNode array, String pointer) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(pointer.isEmpty() ? node.asText() : node.at(pointer).asText()));
    return values;
  }

  static void collect(JsonNode components, List<JsonNode> into) {
    for (JsonNode component : components) {
      into.add(component);
      collect(component.path("components"), into);
    }
  }
}
