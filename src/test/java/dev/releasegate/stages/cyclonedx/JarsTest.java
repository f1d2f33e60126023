package dev.releasegate.stages.cyclonedx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.releasegate.base.Digests;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What a jar says about itself, read as a stream. */
class JarsTest {

  @Test
  void mavenJarGivesCoordinatesManifestAndTheHashOfTheWholeFile() throws IOException {
    byte[] jar = TestJars.jar(Map.of("Implementation-Title", "Widget", "Implementation-Version", "2.0", "Created-By", "x"),
        Map.of(TestJars.pomPropertiesPath("com.acme", "widget"), TestJars.pomProperties("com.acme", "widget", "2.0.1")));
    Jars.JarInfo info = Jars.inspect(new ByteArrayInputStream(jar), 1);

    assertEquals(Digests.sha256Hex(jar), info.sha256(), "the hash covers every byte, central directory included");
    assertEquals(jar.length, info.size());
    assertEquals(List.of(new Jars.Coordinates("com.acme", "widget", "2.0.1", "META-INF/maven/com.acme/widget/pom.properties")),
        info.coordinates());
    assertEquals(Map.of("Implementation-Title", "Widget", "Implementation-Version", "2.0"), info.manifest(),
        "only identifying attributes are kept");
    assertTrue(info.error().isEmpty());
  }

  @Test
  void shadedJarListsEveryPomPropertiesAndNestedJarsAreReadToo() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(TestJars.pomPropertiesPath("com.acme", "app"), TestJars.pomProperties("com.acme", "app", "1.0"));
    entries.put(TestJars.pomPropertiesPath("com.google.guava", "guava"), TestJars.pomProperties("com.google.guava", "guava", "33.0"));
    byte[] inner = TestJars.mavenJar("org.slf4j", "slf4j-api", "2.0.17", null);
    entries.put("BOOT-INF/lib/slf4j-api-2.0.17.jar", inner);
    Jars.JarInfo info = Jars.inspect(new ByteArrayInputStream(TestJars.jar(Map.of(), entries)), 1);

    assertEquals(List.of("com.acme:app", "com.google.guava:guava"), info.coordinates().stream().map(Jars.Coordinates::key).toList());
    assertEquals(1, info.nested().size());
    Jars.Nested nested = info.nested().get(0);
    assertEquals("BOOT-INF/lib/slf4j-api-2.0.17.jar", nested.entry());
    assertEquals(Digests.sha256Hex(inner), nested.info().sha256());
    assertEquals("org.slf4j:slf4j-api", nested.info().coordinates().get(0).key());
  }

  @Test
  void pomXmlGivesRunTimeDependenciesOnly() throws IOException {
    String pom = TestJars.pomXml("com.acme", "widget", "com.acme:core", "com.acme:extra:runtime", "org.junit:junit:test",
        "javax.servlet:servlet-api:provided", "com.acme:optional:compile:optional", "${project.groupId}:sibling", "${other}:x");
    Jars.JarInfo info = Jars.inspect(new ByteArrayInputStream(TestJars.mavenJar("com.acme", "widget", "1.0", pom)), 1);

    assertEquals(List.of("com.acme:core", "com.acme:extra", "com.acme:sibling"),
        info.dependencies().get("com.acme:widget").stream().map(Jars.PomDependency::key).toList(),
        "test, provided and optional are left out; ${project.groupId} is the pom's own group; other properties are not guessed");
  }

  @Test
  void pomXmlWithADoctypeIsNotParsed() throws IOException {
    // An external entity would read a file of the machine running the release (XXE).
    String pom = "<?xml version=\"1.0\"?><!DOCTYPE project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<project><dependencies><dependency><groupId>&x;</groupId><artifactId>a</artifactId></dependency></dependencies></project>";
    Jars.JarInfo info = Jars.inspect(new ByteArrayInputStream(TestJars.mavenJar("com.acme", "widget", "1.0", pom)), 1);
    assertEquals(List.of(), info.dependencies().get("com.acme:widget"));
  }

  @Test
  void jarThatIsNotAZipKeepsItsHashAndSaysWhy() throws IOException {
    byte[] junk = new byte[3000];
    new Random(3).nextBytes(junk);
    junk[0] = 'P';
    junk[1] = 'K';
    junk[2] = 3;
    junk[3] = 4; // a local header signature followed by garbage
    Jars.JarInfo info = Jars.inspect(new ByteArrayInputStream(junk), 1);
    assertTrue(info.error().isPresent(), "a broken zip is described, not thrown");
    assertEquals(Digests.sha256Hex(junk), info.sha256());
    assertEquals(List.of(), info.coordinates());
  }

  @Test
  void failureOfTheStreamUnderneathIsThrownNotMistakenForABrokenJar() {
    byte[] jar = TestJars.mavenJar("com.acme", "widget", "1.0", null);
    InputStream failing = new FilterInputStream(new ByteArrayInputStream(jar, 0, 100)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
          throw new IOException("Unexpected end of ZLIB input stream");
        }
        return n;
      }
    };
    IOException e = assertThrows(IOException.class, () -> Jars.inspect(failing, 1));
    assertEquals("Unexpected end of ZLIB input stream", e.getMessage());
  }

  @Test
  void isArchiveKnowsJarWarEar() {
    assertTrue(Jars.isArchive("/app/libs/a.jar"));
    assertTrue(Jars.isArchive("ROOT.WAR"));
    assertTrue(Jars.isArchive("x.ear"));
    assertFalse(Jars.isArchive("/app/libs/a.jar.sha1"));
  }
}
