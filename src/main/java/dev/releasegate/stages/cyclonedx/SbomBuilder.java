package dev.releasegate.stages.cyclonedx;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.releasegate.base.Digests;
import dev.releasegate.base.ImageReference;
import dev.releasegate.image.ImageConfig;
import dev.releasegate.image.ImageFiles;
import dev.releasegate.image.ImagePath;
import dev.releasegate.image.ImageSecrets;
import dev.releasegate.stages.cyclonedx.SbomFiles.AppFile;
import dev.releasegate.stages.cyclonedx.SbomFiles.Copyright;
import dev.releasegate.stages.cyclonedx.SbomFiles.JarFile;
import dev.releasegate.stages.cyclonedx.SbomFiles.KeyValues;
import dev.releasegate.stages.cyclonedx.SbomFiles.StatusFile;
import dev.releasegate.stages.cyclonedx.SbomFiles.Tracked;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Evidence;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.component.evidence.Occurrence;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * Turns what {@link SbomFiles} found into a CycloneDX BOM of the image: the image as the subject,
 * the operating system and its Debian packages, the Java runtime, the application, and every jar.
 *
 * <p>The same image gives the same BOM, byte for byte: the timestamp is the commit time, the serial
 * number is a name-based UUID of the image, components and dependencies are sorted, and nothing
 * depends on hash order, the clock or the machine.
 *
 * <p>A few properties use Trivy's names ({@code aquasecurity:trivy:*}) because {@code trivy sbom}
 * reads exactly those: RepoDigest, so its report names the image digest the scan stage checks;
 * SrcName/SrcVersion, because Debian advisories are keyed by source package (libc6 → glibc); FilePath,
 * so findings say which jar. Everything else of ours is under {@code releasegate:}.
 */
final class SbomBuilder {
  static final String TRIVY = "aquasecurity:trivy:";
  static final String OURS = "releasegate:";
  private static final Pattern FILE_VERSION = Pattern.compile("(.+?)-(\\d[\\w.+~-]*)");
  private static final Pattern CPE_SAFE = Pattern.compile("[A-Za-z0-9._-]+");

  /** What the BOM holds, for the stage's summary. */
  record Counts(int debianPackages, int jars, int nestedComponents, int runtimes, int applications) {}

  record Sbom(Bom bom, Counts counts, List<String> warnings) {}

  private final ImageReference image;
  private final String configDigest;
  private final ImageConfig config;
  private final ImageFiles<Tracked> files;
  private final String appRoot;
  private final List<String> fileWarnings;
  private final Instant timestamp;
  private final String toolVersion;
  private final List<String> warnings = new ArrayList<>();
  // Facts behind components, for the dependency graph; by identity, as Component.equals compares values.
  private final Map<Component, Dpkg.Package> debRecords = new IdentityHashMap<>();
  private final Map<Component, Jars.JarInfo> jarInfos = new IdentityHashMap<>();
  private final Map<Component, String> jarKeys = new IdentityHashMap<>();
  private final Set<Component> appJars = Collections.newSetFromMap(new IdentityHashMap<>());

  SbomBuilder(ImageReference image, String configDigest, ImageConfig config, SbomFiles.Merged files, Instant timestamp, String toolVersion) {
    this.image = image;
    this.configDigest = configDigest;
    this.config = config;
    this.files = files.tree();
    this.appRoot = files.appRoot();
    this.fileWarnings = files.warnings();
    this.timestamp = timestamp;
    this.toolVersion = toolVersion;
  }

  Sbom build() {
    warnings.addAll(fileWarnings);
    Map<String, String> osRelease = osRelease();
    Component root = imageComponent();

    List<Component> components = new ArrayList<>();
    Optional<Component> os = operatingSystem(osRelease);
    os.ifPresent(components::add);
    List<Component> debs = debianPackages(osRelease);
    components.addAll(debs);
    List<Component> runtimes = javaRuntimes();
    components.addAll(runtimes);
    Optional<Component> app = application();
    app.ifPresent(components::add);
    List<Component> jars = jars(runtimes);
    components.addAll(jars);
    if (!debs.isEmpty() && os.isEmpty()) {
      warnings.add("Debian packages found but no /etc/os-release: their purls have no distro, and trivy sbom skips OS packages without an OS");
    }

    components.sort(Comparator.comparing(SbomBuilder::sortKey));
    Set<String> refs = new HashSet<>();
    refs.add(root.getBomRef());
    for (Component component : components) {
      assignRefs(component, refs, null);
    }

    Bom bom = new Bom();
    // Same image and same releasegate version: the same BOM, so the same serial. Another version may
    // describe the image differently, and a different document must not share a serial number.
    bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(
        ("releasegate " + toolVersion + " cyclonedx " + image).getBytes(StandardCharsets.UTF_8)));
    bom.setVersion(1);
    Metadata metadata = new Metadata();
    metadata.setTimestamp(Date.from(timestamp));
    ToolInformation tools = new ToolInformation();
    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setGroup("dev.releasegate");
    tool.setName("releasegate");
    tool.setVersion(toolVersion);
    tools.setComponents(List.of(tool));
    metadata.setToolChoice(tools);
    metadata.setComponent(root);
    bom.setMetadata(metadata);
    bom.setComponents(components);
    bom.setDependencies(dependencies(root, os, debs, runtimes, app, jars));

    int nested = components.stream().mapToInt(SbomBuilder::nestedCount).sum();
    Counts counts = new Counts(debs.size(), jars.size(), nested, runtimes.size(), app.isPresent() ? 1 : 0);
    return new Sbom(bom, counts, List.copyOf(warnings));
  }

  // ---- the image ----

  private Component imageComponent() {
    Component root = new Component();
    root.setType(Component.Type.CONTAINER);
    root.setName(image.repository());
    root.setVersion(image.digest());
    String purl = imagePurl();
    root.setPurl(purl);
    root.setBomRef(purl != null ? purl : "image:" + image);
    List<Property> properties = new ArrayList<>();
    properties.add(new Property(TRIVY + "RepoDigest", image.toString()));
    properties.add(new Property(TRIVY + "ImageID", configDigest));
    config.diffIds().forEach(diffId -> properties.add(new Property(TRIVY + "DiffID", diffId)));
    // In key order, so that the BOM does not depend on the order the config lists them in.
    // A label the readiness lint calls a secret is named, its value replaced: the SBOM is published with the image.
    new TreeMap<>(config.labels()).forEach((key, value) -> properties.add(new Property(key, ImageSecrets.withoutSecret(key, value))));
    root.setProperties(properties);
    return root;
  }

  /** {@code pkg:oci/NAME@sha256%3A…?arch=…&repository_url=HOST/PATH}, as the purl spec's oci type defines it. */
  private String imagePurl() {
    String repository = image.repository();
    TreeMap<String, String> qualifiers = new TreeMap<>();
    if (!config.architecture().isEmpty()) {
      qualifiers.put("arch", config.architecture());
    }
    qualifiers.put("repository_url", repository);
    return purl("oci", null, repository.substring(repository.lastIndexOf('/') + 1), image.digest(), qualifiers);
  }

  // ---- operating system and Debian packages ----

  private Map<String, String> osRelease() {
    for (String path : SbomFiles.OS_RELEASE) {
      Optional<Tracked> found = files.find(path);
      if (found.isPresent() && found.get() instanceof KeyValues values) {
        return values.values();
      }
    }
    return Map.of();
  }

  private Optional<Component> operatingSystem(Map<String, String> osRelease) {
    String id = osRelease.get("ID");
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    Component os = new Component();
    os.setType(Component.Type.OPERATING_SYSTEM);
    os.setName(id);
    String version = osRelease.get("VERSION_ID");
    if (version != null && !version.isBlank()) {
      os.setVersion(version);
    }
    if (osRelease.containsKey("PRETTY_NAME")) {
      os.setDescription(osRelease.get("PRETTY_NAME"));
    }
    os.setBomRef("operating-system:" + id + (version == null ? "" : "@" + version));
    return Optional.of(os);
  }

  /**
   * Every installed package of every status file ({@code status} first, then {@code status.d/*} by
   * name); a package listed twice (same name and architecture) is one component with two occurrences.
   */
  private List<Component> debianPackages(Map<String, String> osRelease) {
    String namespace = osRelease.getOrDefault("ID", "debian");
    String distro = osRelease.containsKey("ID") && osRelease.containsKey("VERSION_ID")
        ? osRelease.get("ID") + "-" + osRelease.get("VERSION_ID")
        : null;
    Map<String, Component> byKey = new LinkedHashMap<>();
    for (Map.Entry<String, Tracked> file : files.files().entrySet()) {
      if (!(file.getValue() instanceof StatusFile status)) {
        continue;
      }
      for (Dpkg.Package record : status.packages()) {
        String key = record.name() + ":" + record.architecture();
        Component existing = byKey.get(key);
        if (existing != null) {
          addOccurrence(existing, file.getKey());
          continue;
        }
        Component deb = new Component();
        deb.setType(Component.Type.LIBRARY);
        deb.setName(record.name());
        deb.setVersion(record.version());
        TreeMap<String, String> qualifiers = new TreeMap<>();
        if (!record.architecture().isEmpty()) {
          qualifiers.put("arch", record.architecture());
        }
        if (distro != null) {
          qualifiers.put("distro", distro);
        }
        deb.setPurl(purl("deb", namespace, record.name(), record.version(), qualifiers));
        if (!record.description().isEmpty()) {
          deb.setDescription(record.description());
        }
        licenses(record.name()).ifPresent(deb::setLicenses);
        deb.addProperty(new Property(TRIVY + "SrcName", record.source()));
        deb.addProperty(new Property(TRIVY + "SrcVersion", record.sourceVersion()));
        addOccurrence(deb, file.getKey());
        debRecords.put(deb, record);
        byKey.put(key, deb);
      }
    }
    return new ArrayList<>(byKey.values());
  }

  /** The licences a machine-readable copyright file names, as SPDX ids where they are exactly one. */
  private Optional<LicenseChoice> licenses(String packageName) {
    Optional<Tracked> found = files.find("/usr/share/doc/" + packageName + "/copyright");
    if (found.isEmpty() || !(found.get() instanceof Copyright copyright) || copyright.licenses().isEmpty()
        || copyright.licenses().get().isEmpty()) {
      return Optional.empty();
    }
    LicenseChoice choice = new LicenseChoice();
    Set<String> seen = new HashSet<>();
    for (String name : copyright.licenses().get()) {
      License license = new License();
      Optional<String> id = DebianCopyright.spdxId(name);
      if (id.isPresent()) {
        if (!seen.add(id.get())) {
          continue;
        }
        license.setId(id.get());
      } else {
        if (!seen.add(name)) {
          continue;
        }
        license.setName(name);
      }
      choice.addLicense(license);
    }
    return Optional.of(choice);
  }

  // ---- Java runtime ----

  /** Each JDK or JRE, from the {@code release} file in its home (JAVA_VERSION, IMPLEMENTOR, ...). */
  private List<Component> javaRuntimes() {
    List<Component> runtimes = new ArrayList<>();
    for (Map.Entry<String, Tracked> file : files.files().entrySet()) {
      if (!(file.getValue() instanceof KeyValues release) || !file.getKey().endsWith("/release")) {
        continue;
      }
      Map<String, String> values = release.values();
      String version = values.get("JAVA_VERSION");
      String home = ImagePath.parent(file.getKey());
      Component runtime = new Component();
      runtime.setType(Component.Type.PLATFORM);
      runtime.setName("openjdk");
      runtime.setVersion(version);
      if (values.containsKey("IMPLEMENTOR")) {
        runtime.setPublisher(values.get("IMPLEMENTOR"));
      }
      // The CPE scanners match OpenJDK advisories with (NVD files them under oracle:openjdk).
      if (CPE_SAFE.matcher(version).matches()) {
        runtime.setCpe("cpe:2.3:a:oracle:openjdk:" + version + ":*:*:*:*:*:*:*");
      }
      runtime.addProperty(new Property(OURS + "java:home", home));
      for (String key : List.of("JAVA_RUNTIME_VERSION", "IMPLEMENTOR_VERSION", "JAVA_VERSION_DATE", "MODULES")) {
        if (values.containsKey(key)) {
          runtime.addProperty(new Property(OURS + "java:" + key, values.get(key)));
        }
      }
      addOccurrence(runtime, file.getKey());
      runtime.setBomRef("java-runtime:" + home);
      runtimes.add(runtime);
    }
    return runtimes;
  }

  // ---- the application ----

  /**
   * The service's own classes and resources (jib's {@code APPROOT/classes} and {@code resources}) as
   * the main application. Its files have no single hash, so the BOM records a digest of their sorted
   * {@code sha256sum} listing: any change to any file changes it.
   */
  private Optional<Component> application() {
    String root = appRoot;
    StringBuilder listing = new StringBuilder();
    int count = 0;
    long bytes = 0;
    for (Map.Entry<String, Tracked> file : files.files().subMap(root + "/", root + "0").entrySet()) {
      if (file.getValue() instanceof AppFile appFile) {
        listing.append(appFile.sha256()).append("  ").append(file.getKey().substring(root.length() + 1)).append('\n');
        count++;
        bytes += appFile.size();
      }
    }
    if (count == 0) {
      return Optional.empty();
    }
    Map<String, String> labels = config.labels();
    String repository = image.repository();
    Component app = new Component();
    app.setType(Component.Type.APPLICATION);
    app.setName(labels.getOrDefault("org.opencontainers.image.title", repository.substring(repository.lastIndexOf('/') + 1)));
    if (labels.containsKey("org.opencontainers.image.version")) {
      app.setVersion(labels.get("org.opencontainers.image.version"));
    }
    app.addProperty(new Property(OURS + "app:root", root));
    app.addProperty(new Property(OURS + "app:files", Integer.toString(count)));
    app.addProperty(new Property(OURS + "app:bytes", Long.toString(bytes)));
    app.addProperty(new Property(OURS + "app:filesSha256", Digests.sha256Hex(listing.toString().getBytes(StandardCharsets.UTF_8))));
    mainClass().ifPresent(main -> app.addProperty(new Property(OURS + "app:mainClass", main)));
    if (labels.containsKey("org.opencontainers.image.revision")) {
      app.addProperty(new Property(OURS + "app:revision", labels.get("org.opencontainers.image.revision")));
    }
    addOccurrence(app, root + "/classes");
    addOccurrence(app, root + "/resources");
    app.setBomRef("application:" + root);
    return Optional.of(app);
  }

  /** The main class of a {@code java … MainClass} entrypoint, as jib writes it. */
  private Optional<String> mainClass() {
    List<String> entrypoint = config.entrypoint();
    if (entrypoint.size() >= 2 && (entrypoint.get(0).equals("java") || entrypoint.get(0).endsWith("/java"))) {
      String last = entrypoint.get(entrypoint.size() - 1);
      if (last.matches("[\\w$]+(\\.[\\w$]+)*")) {
        return Optional.of(last);
      }
    }
    return Optional.empty();
  }

  // ---- jars ----

  /**
   * Every jar as a component, except those inside a Java runtime's home (jrt-fs.jar, ...): they are
   * part of that runtime and become its nested components.
   */
  private List<Component> jars(List<Component> runtimes) {
    Map<String, Component> byIdentity = new LinkedHashMap<>();
    for (Map.Entry<String, Tracked> file : files.files().entrySet()) {
      if (!(file.getValue() instanceof JarFile jar)) {
        continue;
      }
      String path = file.getKey();
      Jars.JarInfo info = jar.info();
      Component component = jarComponent(path.substring(path.lastIndexOf('/') + 1), info, path);
      Optional<Component> runtime = runtimes.stream().filter(r -> path.startsWith(property(r, OURS + "java:home") + "/")).findFirst();
      if (runtime.isPresent()) {
        List<Component> nested = runtime.get().getComponents() == null ? new ArrayList<>() : runtime.get().getComponents();
        nested.add(component);
        nested.sort(Comparator.comparing(SbomBuilder::sortKey));
        runtime.get().setComponents(nested);
        continue;
      }
      // The same bytes under the same identity at two paths are one component found twice.
      String key = component.getPurl() + "|" + component.getGroup() + "|" + component.getName() + "|" + component.getVersion() + "|" + info.sha256();
      Component existing = byIdentity.get(key);
      if (existing != null) {
        addOccurrence(existing, path);
        continue;
      }
      component.addProperty(new Property(TRIVY + "FilePath", path.substring(1)));
      if (path.startsWith(appRoot + "/")) {
        appJars.add(component);
      }
      jarInfos.put(component, info);
      byIdentity.put(key, component);
    }
    return new ArrayList<>(byIdentity.values());
  }

  /**
   * A jar's component: its own Maven coordinates (the only pom.properties, or the one its file name is
   * named after) → {@code pkg:maven} purl; else manifest Implementation-Title/Version; else the file
   * name. Every other pom.properties (shaded artifacts) and every nested jar is a nested component.
   */
  private Component jarComponent(String fileName, Jars.JarInfo info, String location) {
    Component component = new Component();
    component.setType(Component.Type.LIBRARY);
    Optional<Jars.Coordinates> own = ownCoordinates(fileName, info.coordinates());
    if (own.isPresent()) {
      Jars.Coordinates coordinates = own.get();
      component.setGroup(coordinates.groupId());
      component.setName(coordinates.artifactId());
      component.setVersion(coordinates.version());
      component.setPurl(purl("maven", coordinates.groupId(), coordinates.artifactId(), coordinates.version(), null));
      component.addProperty(new Property(OURS + "identifiedBy", coordinates.entry()));
      jarKeys.put(component, coordinates.key());
    } else if (info.manifest().containsKey("Implementation-Title") && info.manifest().containsKey("Implementation-Version")) {
      // A manifest does not prove Maven coordinates, so no pkg:maven purl is claimed from it.
      component.setName(info.manifest().get("Implementation-Title"));
      component.setVersion(info.manifest().get("Implementation-Version"));
      if (info.manifest().containsKey("Implementation-Vendor")) {
        component.setPublisher(info.manifest().get("Implementation-Vendor"));
      }
      component.addProperty(new Property(OURS + "identifiedBy", "META-INF/MANIFEST.MF"));
    } else {
      String base = fileName.replaceFirst("(?i)\\.(jar|war|ear)$", "");
      Matcher matcher = FILE_VERSION.matcher(base);
      if (matcher.matches()) {
        component.setName(matcher.group(1));
        component.setVersion(matcher.group(2));
      } else {
        component.setName(base);
      }
      component.addProperty(new Property(OURS + "identifiedBy", "file name"));
    }
    component.addHash(new Hash(Hash.Algorithm.SHA_256, info.sha256()));
    info.error().ifPresent(error -> {
      component.addProperty(new Property(OURS + "unreadable", error));
      warnings.add(location + " is not a readable jar (" + error + "); identified by its file name");
    });
    addOccurrence(component, location);

    List<Component> nested = new ArrayList<>();
    for (Jars.Coordinates shaded : info.coordinates()) {
      if (own.isPresent() && shaded.equals(own.get())) {
        continue;
      }
      Component inner = new Component();
      inner.setType(Component.Type.LIBRARY);
      inner.setGroup(shaded.groupId());
      inner.setName(shaded.artifactId());
      inner.setVersion(shaded.version());
      inner.setPurl(purl("maven", shaded.groupId(), shaded.artifactId(), shaded.version(), null));
      inner.addProperty(new Property(OURS + "identifiedBy", shaded.entry()));
      inner.addProperty(new Property(OURS + "shadedInto", location));
      nested.add(inner);
    }
    for (Jars.Nested jar : info.nested()) {
      String entry = jar.entry();
      nested.add(jarComponent(entry.substring(entry.lastIndexOf('/') + 1), jar.info(), location + "!/" + entry));
    }
    if (!nested.isEmpty()) {
      nested.sort(Comparator.comparing(SbomBuilder::sortKey));
      component.setComponents(nested);
    }
    return component;
  }

  private static Optional<Jars.Coordinates> ownCoordinates(String fileName, List<Jars.Coordinates> coordinates) {
    if (coordinates.size() == 1) {
      return Optional.of(coordinates.get(0));
    }
    List<Jars.Coordinates> named = coordinates.stream()
        .filter(c -> fileName.startsWith(c.artifactId() + "-" + c.version() + ".") || fileName.startsWith(c.artifactId() + "-" + c.version() + "-"))
        .toList();
    return named.size() == 1 ? Optional.of(named.get(0)) : Optional.empty();
  }

  // ---- dependencies ----

  /**
   * The image depends on its operating system, runtimes, application and the jars outside the
   * application; the OS on its packages; each package on what its Depends/Pre-Depends resolve to among
   * the installed packages; the application on its jars; a jar on the jars its pom.xml declares. Jars
   * without a pom.xml get no entry: their dependencies are unknown, which CycloneDX expresses by absence.
   */
  private List<Dependency> dependencies(Component root, Optional<Component> os, List<Component> debs, List<Component> runtimes,
      Optional<Component> app, List<Component> jars) {
    Map<String, TreeSet<String>> graph = new TreeMap<>();
    TreeSet<String> fromRoot = new TreeSet<>();
    graph.put(root.getBomRef(), fromRoot);
    os.ifPresent(component -> fromRoot.add(component.getBomRef()));
    runtimes.forEach(component -> fromRoot.add(component.getBomRef()));
    app.ifPresent(component -> fromRoot.add(component.getBomRef()));

    TreeSet<String> fromOs = new TreeSet<>();
    os.ifPresent(component -> graph.put(component.getBomRef(), fromOs));
    Map<String, List<Component>> installed = new LinkedHashMap<>();
    for (Component deb : debs) {
      (os.isPresent() ? fromOs : fromRoot).add(deb.getBomRef());
      installed.computeIfAbsent(deb.getName(), name -> new ArrayList<>()).add(deb);
    }
    // Virtual packages resolve to their providers, after real packages of that name.
    for (Component deb : debs) {
      debRecords.get(deb).provides().forEach(virtual -> installed.computeIfAbsent(virtual, name -> new ArrayList<>()).add(deb));
    }
    for (Component deb : debs) {
      TreeSet<String> dependsOn = new TreeSet<>();
      for (List<String> alternatives : debRecords.get(deb).depends()) {
        alternatives.stream().filter(installed::containsKey).findFirst()
            .map(name -> pickArchitecture(installed.get(name), deb))
            .filter(target -> target != deb)
            .ifPresent(target -> dependsOn.add(target.getBomRef()));
      }
      graph.put(deb.getBomRef(), dependsOn);
    }

    TreeSet<String> fromApp = new TreeSet<>();
    app.ifPresent(component -> graph.put(component.getBomRef(), fromApp));
    Map<String, List<Component>> byKey = new LinkedHashMap<>();
    for (Component jar : jars) {
      boolean appJar = app.isPresent() && appJars.contains(jar);
      (appJar ? fromApp : fromRoot).add(jar.getBomRef());
      if (jarKeys.containsKey(jar)) {
        byKey.computeIfAbsent(jarKeys.get(jar), key -> new ArrayList<>()).add(jar);
      }
    }
    for (Component jar : jars) {
      String key = jarKeys.get(jar);
      List<Jars.PomDependency> declared = key == null ? null : jarInfos.get(jar).dependencies().get(key);
      if (declared == null) {
        continue;
      }
      TreeSet<String> dependsOn = new TreeSet<>();
      for (Jars.PomDependency dependency : declared) {
        byKey.getOrDefault(dependency.key(), List.of()).stream().filter(target -> target != jar)
            .forEach(target -> dependsOn.add(target.getBomRef()));
      }
      graph.put(jar.getBomRef(), dependsOn);
    }

    List<Dependency> dependencies = new ArrayList<>();
    graph.forEach((ref, dependsOn) -> {
      Dependency dependency = new Dependency(ref);
      dependsOn.forEach(target -> dependency.addDependency(new Dependency(target)));
      dependencies.add(dependency);
    });
    return dependencies;
  }

  /** Of several installed packages of one name (multiarch), the one of the dependent's architecture. */
  private static Component pickArchitecture(List<Component> candidates, Component dependent) {
    String architecture = qualifier(dependent.getPurl(), "arch=");
    for (Component candidate : candidates) {
      if (qualifier(candidate.getPurl(), "arch=").equals(architecture)) {
        return candidate;
      }
    }
    return candidates.get(0);
  }

  private static String qualifier(String purl, String key) {
    int at = purl.indexOf(key);
    if (at < 0) {
      return "";
    }
    int end = purl.indexOf('&', at);
    return purl.substring(at + key.length(), end < 0 ? purl.length() : end);
  }

  // ---- helpers ----

  /**
   * Gives every component (and nested component) a bom-ref unique in the BOM: its purl, or the ref
   * its role gave it, or a ref derived from where it was found; a clash gets {@code #2}, {@code #3}.
   * Components are sorted first, so the numbering is stable.
   */
  private static void assignRefs(Component component, Set<String> taken, String parentRef) {
    String wanted = component.getBomRef();
    if (wanted == null) {
      if (component.getPurl() != null) {
        wanted = component.getPurl();
      } else {
        String location = firstOccurrence(component);
        wanted = "file:" + (location.isEmpty() ? (parentRef == null ? "" : parentRef + "/") + component.getName() : location);
      }
    }
    String ref = wanted;
    for (int n = 2; !taken.add(ref); n++) {
      ref = wanted + "#" + n;
    }
    component.setBomRef(ref);
    if (component.getComponents() != null) {
      for (Component child : component.getComponents()) {
        assignRefs(child, taken, ref);
      }
    }
  }

  private static void addOccurrence(Component component, String location) {
    Evidence evidence = component.getEvidence();
    if (evidence == null) {
      evidence = new Evidence();
      evidence.setOccurrences(new ArrayList<>());
      component.setEvidence(evidence);
    }
    Occurrence occurrence = new Occurrence();
    occurrence.setLocation(location);
    evidence.getOccurrences().add(occurrence);
  }

  private static String property(Component component, String name) {
    return component.getProperties().stream().filter(p -> p.getName().equals(name)).map(Property::getValue).findFirst().orElseThrow();
  }

  private static String firstOccurrence(Component component) {
    Evidence evidence = component.getEvidence();
    return evidence == null || evidence.getOccurrences() == null || evidence.getOccurrences().isEmpty()
        ? ""
        : evidence.getOccurrences().get(0).getLocation();
  }

  /** Operating system, runtimes, application, then libraries; within a type by purl, name, version, path. */
  private static String sortKey(Component component) {
    int rank = switch (component.getType()) {
      case OPERATING_SYSTEM -> 0;
      case PLATFORM -> 1;
      case APPLICATION -> 2;
      default -> 3;
    };
    String hash = component.getHashes() == null || component.getHashes().isEmpty() ? "" : component.getHashes().get(0).getValue();
    return String.join("\u0000", Integer.toString(rank), nvl(component.getPurl()), nvl(component.getGroup()), nvl(component.getName()),
        nvl(component.getVersion()), firstOccurrence(component), hash);
  }

  private static int nestedCount(Component component) {
    if (component.getComponents() == null) {
      return 0;
    }
    return component.getComponents().size() + component.getComponents().stream().mapToInt(SbomBuilder::nestedCount).sum();
  }

  private static String nvl(String value) {
    return value == null ? "" : value;
  }

  /**
   * A canonical purl (packageurl-java percent-encodes version and qualifier values), or null with a
   * warning when the image's data cannot form one: the component is still listed, by name.
   */
  private String purl(String type, String namespace, String name, String version, TreeMap<String, String> qualifiers) {
    try {
      return new PackageURL(type, namespace, name, version, qualifiers, null).canonicalize();
    } catch (MalformedPackageURLException e) {
      warnings.add("no " + type + " purl for " + name + "@" + version + ": " + e.getMessage());
      return null;
    }
  }
}
