package dev.releasegate.stages.cyclonedx;

import dev.releasegate.base.Digests;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * What a jar (or war, ear) says about itself, read as a stream: its SHA-256, the Maven coordinates in
 * every {@code META-INF/maven/G/A/pom.properties} (a shaded jar carries several), the runtime
 * dependencies its {@code pom.xml} declares, the identifying manifest attributes, and the same for the
 * jars nested in it (Spring Boot's BOOT-INF/lib, a war's WEB-INF/lib).
 *
 * <p>Only small metadata entries are read into memory; the rest is inflated and discarded, so a jar of
 * any size costs a buffer. A jar that is not a readable zip keeps its hash and gets its identity from
 * its file name, with the reason recorded.
 */
final class Jars {
  /** war → lib jar → shaded jar is as deep as real archives go; deeper nesting is not searched. */
  static final int MAX_DEPTH = 3;
  private static final int MAX_METADATA = 1 << 20;
  private static final int MAX_POM = 4 << 20;
  private static final List<String> MANIFEST_ATTRIBUTES = List.of(
      "Implementation-Title", "Implementation-Version", "Implementation-Vendor", "Implementation-Vendor-Id",
      "Bundle-SymbolicName", "Bundle-Version", "Bundle-License", "Automatic-Module-Name");

  private Jars() {}

  /** One {@code pom.properties}: the coordinates of an artifact whose classes are in the jar. */
  record Coordinates(String groupId, String artifactId, String version, String entry) {
    String key() {
      return groupId + ":" + artifactId;
    }
  }

  /** A dependency a pom.xml declares for run time (not test, provided, system or optional). */
  record PomDependency(String groupId, String artifactId) {
    String key() {
      return groupId + ":" + artifactId;
    }
  }

  /** A jar inside a jar, by its entry name. */
  record Nested(String entry, JarInfo info) {}

  /**
   * @param dependencies per artifact {@code G:A} whose pom.xml was read, what it depends on at run time
   * @param manifest the identifying main attributes that are present
   * @param error why the jar could not be read as a zip, if it could not
   */
  record JarInfo(String sha256, long size, List<Coordinates> coordinates, Map<String, List<PomDependency>> dependencies,
      Map<String, String> manifest, List<Nested> nested, Optional<String> error) {}

  static boolean isArchive(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear");
  }

  /**
   * Reads a jar from {@code in} to its end. Throws only when {@code in} itself fails (a broken layer);
   * a jar that is not a valid zip is described, not thrown.
   */
  static JarInfo inspect(InputStream in, int depth) throws IOException {
    MessageDigest sha256 = Digests.sha256();
    Guard guard = new Guard(new DigestInputStream(in, sha256));
    List<Coordinates> coordinates = new ArrayList<>();
    Map<String, List<PomDependency>> dependencies = new LinkedHashMap<>();
    Map<String, String> manifest = new LinkedHashMap<>();
    List<Nested> nested = new ArrayList<>();
    Optional<String> error = Optional.empty();
    try {
      // Not closed: closing a ZipInputStream closes the stream it reads, which the caller owns.
      ZipInputStream zip = new ZipInputStream(guard);
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
          pomProperties(small(zip, MAX_METADATA, name), name).ifPresent(coordinates::add);
        } else if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.xml")) {
          Optional<String> key = pomKey(name);
          if (key.isPresent()) {
            dependencies.put(key.get(), pomDependencies(readSmall(zip, MAX_POM), key.get()));
          }
        } else if (name.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
          manifest.putAll(manifest(small(zip, MAX_METADATA, name)));
        } else if (depth < MAX_DEPTH && isArchive(name)) {
          nested.add(new Nested(name, inspect(zip, depth + 1)));
        }
      }
    } catch (IOException e) {
      if (guard.failure != null) {
        throw guard.failure;
      }
      error = Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    // The hash is of the whole file, including what the zip reader did not need (central directory).
    guard.transferTo(OutputStream.nullOutputStream());
    coordinates.sort(Comparator.comparing(Coordinates::entry));
    return new JarInfo(HexFormat.of().formatHex(sha256.digest()), guard.count, List.copyOf(coordinates),
        Map.copyOf(dependencies), Map.copyOf(manifest), List.copyOf(nested), error);
  }

  private static byte[] small(ZipInputStream zip, int limit, String name) throws IOException {
    byte[] data = zip.readNBytes(limit + 1);
    if (data.length > limit) {
      throw new IOException(name + " is larger than " + limit + " bytes");
    }
    return data;
  }

  /** Like {@link #small}, but an oversized pom.xml just gives no dependencies. */
  private static byte[] readSmall(ZipInputStream zip, int limit) throws IOException {
    byte[] data = zip.readNBytes(limit + 1);
    return data.length > limit ? new byte[0] : data;
  }

  private static Optional<Coordinates> pomProperties(byte[] content, String entry) {
    Properties properties = new Properties();
    try {
      properties.load(new ByteArrayInputStream(content));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String groupId = properties.getProperty("groupId", "").strip();
    String artifactId = properties.getProperty("artifactId", "").strip();
    String version = properties.getProperty("version", "").strip();
    if (groupId.isEmpty() || artifactId.isEmpty() || version.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Coordinates(groupId, artifactId, version, entry));
  }

  /** {@code META-INF/maven/G/A/pom.xml} → {@code G:A}. */
  private static Optional<String> pomKey(String entry) {
    String[] parts = entry.split("/");
    return parts.length == 5 ? Optional.of(parts[2] + ":" + parts[3]) : Optional.empty();
  }

  private static Map<String, String> manifest(byte[] content) {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      Attributes main = new Manifest(new ByteArrayInputStream(content)).getMainAttributes();
      for (String name : MANIFEST_ATTRIBUTES) {
        String value = main.getValue(name);
        if (value != null && !value.isBlank()) {
          values.put(name, value.strip());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // A malformed manifest identifies nothing; the file name still does.
    }
    return values;
  }

  /**
   * The run-time dependencies a pom.xml declares directly. Properties other than the project's and the
   * parent's group id are not interpolated: such a dependency is left out rather than guessed.
   */
  static List<PomDependency> pomDependencies(byte[] content, String ownKey) {
    if (content.length == 0) {
      return List.of();
    }
    Document document;
    try {
      document = xmlParser().parse(new ByteArrayInputStream(content));
    } catch (IOException | SAXException e) {
      return List.of();
    }
    Element project = document.getDocumentElement();
    String ownGroup = ownKey.substring(0, ownKey.indexOf(':'));
    String parentGroup = child(project, "parent", "groupId");
    Element dependencies = child(project, "dependencies");
    List<PomDependency> found = new ArrayList<>();
    if (dependencies == null) {
      return found;
    }
    for (Node node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (!(node instanceof Element dependency) || !dependency.getTagName().equals("dependency")) {
        continue;
      }
      String scope = text(child(dependency, "scope"));
      String optional = text(child(dependency, "optional"));
      if ((scope != null && !scope.equals("compile") && !scope.equals("runtime")) || "true".equals(optional)) {
        continue;
      }
      String groupId = text(child(dependency, "groupId"));
      String artifactId = text(child(dependency, "artifactId"));
      if (groupId != null) {
        groupId = groupId.replace("${project.groupId}", ownGroup).replace("${pom.groupId}", ownGroup);
        if (parentGroup != null) {
          groupId = groupId.replace("${project.parent.groupId}", parentGroup);
        }
      }
      if (groupId == null || artifactId == null || groupId.contains("${") || artifactId.contains("${")) {
        continue;
      }
      found.add(new PomDependency(groupId, artifactId));
    }
    return found;
  }

  /** Untrusted XML: no DTDs, no external entities, no XInclude. */
  private static DocumentBuilder xmlParser() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      factory.setNamespaceAware(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      // The default handler prints parse errors to stderr; a library must not print.
      builder.setErrorHandler(new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      });
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser does not support secure processing: " + e.getMessage(), e);
    }
  }

  private static Element child(Element parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        return element;
      }
    }
    return null;
  }

  private static String child(Element parent, String first, String second) {
    return text(child(child(parent, first), second));
  }

  private static String text(Element element) {
    if (element == null) {
      return null;
    }
    String text = element.getTextContent().strip();
    return text.isEmpty() ? null : text;
  }

  /**
   * Counts what passes and remembers a failure of the stream underneath, so that a broken layer is not
   * mistaken for a broken jar: zip errors and gzip errors are both IOExceptions. Never closes it.
   */
  private static final class Guard extends FilterInputStream {
    IOException failure;
    long count;

    Guard(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        if (b >= 0) {
          count++;
        }
        return b;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        if (n > 0) {
          count += n;
        }
        return n;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      // Through read, so that skipped bytes are hashed and counted too.
      byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
      long skipped = 0;
      while (skipped < n) {
        int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
        if (read < 0) {
          break;
        }
        skipped += read;
      }
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public void close() {
      // The caller owns the stream.
    }
  }
}
